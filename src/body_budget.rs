//! The bound on request-body bytes held at once across the server (see
//! [`BodyBudget`]); the JSON extractors take their share from it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The bound on request-body bytes held at once across the server, beyond
/// the per-request limit: a burst of large bodies is answered 503 with
/// `Retry-After` instead of taking the process's memory. A body's bytes are
/// counted from its first chunk until its handler finishes.
#[derive(Debug)]
pub struct BodyBudget {
    limit: usize,
    in_use: AtomicUsize,
}

/// Bytes taken from a [`BodyBudget`], given back when dropped.
#[derive(Debug)]
pub struct BodyPermit {
    budget: Option<Arc<BodyBudget>>,
    bytes: usize,
}

impl BodyPermit {
    /// Bytes this permit holds.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

/// What a client is told to wait before re-sending a body refused for want
/// of room (seconds).
pub const BODY_RETRY_AFTER_SECS: i64 = 1;

impl BodyBudget {
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(BodyBudget {
            limit,
            in_use: AtomicUsize::new(0),
        })
    }

    /// Bytes now held by bodies in flight.
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Acquire)
    }

    /// Takes `bytes` if they fit, else `None`.
    pub fn try_reserve(self: &Arc<Self>, bytes: usize) -> Option<BodyPermit> {
        let mut permit = BodyPermit {
            budget: Some(self.clone()),
            bytes: 0,
        };
        permit.grow(bytes).then_some(permit)
    }
}

impl BodyPermit {
    /// A permit that counts against nothing (no budget configured).
    pub fn unbounded() -> Self {
        BodyPermit {
            budget: None,
            bytes: 0,
        }
    }

    /// Takes `more` bytes from the budget; false (and nothing taken) when
    /// they do not fit.
    pub fn grow(&mut self, more: usize) -> bool {
        let Some(budget) = &self.budget else {
            return true;
        };
        let taken = budget
            .in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(more).filter(|n| *n <= budget.limit)
            })
            .is_ok();
        if taken {
            self.bytes += more;
        }
        taken
    }
}

impl Drop for BodyPermit {
    fn drop(&mut self) {
        if let Some(budget) = &self.budget {
            budget.in_use.fetch_sub(self.bytes, Ordering::AcqRel);
        }
    }
}
