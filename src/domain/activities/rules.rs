//! The rules that relate one field of an activity to another (a return
//! after the departure, no restraint avoided when restraint was used…),
//! declared as data in a small closed vocabulary and evaluated here by one
//! generic evaluator. The server's checks run these declarations; the same
//! declarations are written into the OpenAPI document (`x-record-rules`),
//! from which the tablet app's form reads them and runs its own evaluator
//! (`web/src/lib/rules.ts`) before anything says saved. One set of rules,
//! two evaluators, and a worked example per rule
//! (`openapi/rule-examples.json`) that both must answer alike.
//!
//! Single-field shape checks (lengths, ranges, vocabularies, list sizes)
//! are not here: the document's schemas already state them.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::check::{CLOCK_SKEW_MINUTES, DURATION_MAX};
use super::kinds::KIND_RULES;
use crate::models::activity::ActivityKind;
use crate::validate::Errors;

/// A value a comparison reads.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Operand {
    /// A field of the record by its path (`details.departed_at`): a time
    /// (compared as an instant) or a whole number, plus `plus_minutes`
    /// for a time. Absent or null: the comparison does not hold.
    Field {
        #[schema(value_type = String)]
        path: &'static str,
        #[serde(skip_serializing_if = "is_zero")]
        #[schema(value_type = Option<i64>)]
        plus_minutes: i64,
    },
    /// How many items the list at `path` holds.
    Count {
        #[schema(value_type = String)]
        path: &'static str,
    },
    /// The latest instant a recorded time may have: now plus
    /// `clock_skew_minutes`, by the clock of whoever evaluates.
    Latest,
    /// A whole number.
    Number { value: i64 },
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// How two operands compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum Comparison {
    #[serde(rename = "<")]
    Less,
    #[serde(rename = "<=")]
    LessOrEqual,
    #[serde(rename = ">")]
    Greater,
    #[serde(rename = ">=")]
    GreaterOrEqual,
}

/// A fixed value a field is tested against: a boolean or a vocabulary code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Literal {
    Bool(bool),
    Code(&'static str),
}

/// One test of a rule's `when`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(tag = "test", rename_all = "snake_case")]
pub enum Condition {
    /// The field at `path` holds `value`.
    Is {
        #[schema(value_type = String)]
        path: &'static str,
        value: Literal,
    },
    /// The field at `path` is absent or null.
    Missing {
        #[schema(value_type = String)]
        path: &'static str,
    },
    /// The field at `path` is present and not null.
    Present {
        #[schema(value_type = String)]
        path: &'static str,
    },
    /// `left op right`; false when either side has no value.
    Compare {
        left: Operand,
        op: Comparison,
        right: Operand,
    },
}

/// A cross-field rule: the record is refused with `code` at `field` when
/// every condition of `when` holds. A field gets at most one such error,
/// the first rule's in the declared order, and none where a shape check
/// already refused it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Rule {
    /// The path the error names, e.g. `details.returned_at`.
    #[schema(value_type = String)]
    pub field: &'static str,
    /// The error's stable code, as in the 422's `errors[].code`.
    #[schema(value_type = String)]
    pub code: &'static str,
    /// The error's message, as in the 422's `errors[].message`.
    #[schema(value_type = String)]
    pub message: &'static str,
    #[schema(value_type = Vec<Condition>)]
    pub when: &'static [Condition],
    /// How to break exactly this rule, as a JSON merge patch (RFC 7396) on
    /// the kind's valid example; written into the worked examples only.
    #[serde(skip)]
    pub breaks: &'static str,
}

/// A kind's cross-field rules and a record of that kind that keeps them.
#[derive(Debug, Clone, Copy)]
pub struct KindRuleSet {
    pub kind: ActivityKind,
    pub rules: &'static [Rule],
    /// The kind's `details` in a valid record (JSON text), the base of its
    /// worked examples.
    pub example: &'static str,
    /// How many service users the example names.
    pub example_people: usize,
}

/// What the OpenAPI document carries as `x-record-rules`: every
/// cross-field rule, for the record forms.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordRules {
    /// How far ahead of the evaluator's clock `latest` is.
    pub clock_skew_minutes: i64,
    /// The rules of every activity, whatever its kind.
    pub common: Vec<Rule>,
    /// Each kind's own rules, by kind.
    #[schema(value_type = std::collections::BTreeMap<String, Vec<Rule>>)]
    pub kinds: std::collections::BTreeMap<String, Vec<Rule>>,
}

const fn field(path: &'static str) -> Operand {
    Operand::Field {
        path,
        plus_minutes: 0,
    }
}

const fn compare(left: Operand, op: Comparison, right: Operand) -> Condition {
    Condition::Compare { left, op, right }
}

/// Shorthands for declaring rules in the kinds' files.
pub mod dsl {
    pub use super::Comparison::*;
    pub use super::{Condition, Literal, Operand, Rule};

    /// The record's field at `path`.
    pub const fn at(path: &'static str) -> Operand {
        super::field(path)
    }
    /// `left op right`.
    pub const fn cmp(left: Operand, op: super::Comparison, right: Operand) -> Condition {
        super::compare(left, op, right)
    }
    /// The field holds `value`.
    pub const fn is(path: &'static str, value: Literal) -> Condition {
        Condition::Is { path, value }
    }
    pub const fn missing(path: &'static str) -> Condition {
        Condition::Missing { path }
    }
    pub const fn present(path: &'static str) -> Condition {
        Condition::Present { path }
    }
    /// How many items the list at `path` holds.
    pub const fn count(path: &'static str) -> Operand {
        Operand::Count { path }
    }
    pub const fn number(value: i64) -> Operand {
        Operand::Number { value }
    }
    pub const LATEST: Operand = Operand::Latest;
    pub const YES: Literal = Literal::Bool(true);
    pub const NO: Literal = Literal::Bool(false);
    pub const fn code(c: &'static str) -> Literal {
        Literal::Code(c)
    }
}

use dsl::*;

/// The rules every activity keeps, whatever its kind: its times.
pub const COMMON_RULES: &[Rule] = &[
    Rule {
        field: "started_at",
        code: "in_future",
        message: "cannot be in the future",
        when: &[cmp(at("started_at"), Greater, LATEST)],
        breaks: r#"{"started_at": "2026-03-02T12:30:00Z", "ended_at": "2026-03-02T12:31:00Z"}"#,
    },
    Rule {
        field: "ended_at",
        code: "before_start",
        message: "must be after `started_at`",
        when: &[cmp(at("ended_at"), LessOrEqual, at("started_at"))],
        breaks: r#"{"ended_at": "2026-03-02T10:00:00Z"}"#,
    },
    Rule {
        field: "ended_at",
        code: "too_long",
        message: "an activity lasts at most 1440 minutes",
        when: &[cmp(
            at("ended_at"),
            Greater,
            Operand::Field {
                path: "started_at",
                plus_minutes: DURATION_MAX as i64,
            },
        )],
        breaks: r#"{"started_at": "2026-03-01T09:00:00Z"}"#,
    },
    Rule {
        field: "ended_at",
        code: "in_future",
        message: "cannot be in the future",
        when: &[cmp(at("ended_at"), Greater, LATEST)],
        breaks: r#"{"ended_at": "2026-03-02T12:30:00Z"}"#,
    },
];

/// The rules of an activity of this kind: the common ones, then its own.
pub fn rules_of(kind: ActivityKind) -> impl Iterator<Item = &'static Rule> {
    let own = KIND_RULES
        .iter()
        .find(|set| set.kind == kind)
        .map_or(&[][..], |set| set.rules);
    COMMON_RULES.iter().chain(own)
}

/// Every rule, as the OpenAPI document carries it.
pub fn record_rules() -> RecordRules {
    RecordRules {
        clock_skew_minutes: CLOCK_SKEW_MINUTES,
        common: COMMON_RULES.to_vec(),
        kinds: KIND_RULES
            .iter()
            .map(|set| (set.kind.as_str().to_string(), set.rules.to_vec()))
            .collect(),
    }
}

/// Evaluates `rules` over a record as JSON (`started_at`, `ended_at`,
/// `service_user_ids`, `details`), adding an error for each rule whose
/// conditions all hold, at most one per field, none where `errors`
/// already names the field.
pub fn evaluate<'a>(
    rules: impl IntoIterator<Item = &'a Rule>,
    record: &Value,
    now: DateTime<Utc>,
    errors: &mut Errors,
) {
    let latest = (now + Duration::minutes(CLOCK_SKEW_MINUTES)).timestamp_millis();
    for rule in rules {
        if errors.has(rule.field) {
            continue;
        }
        if rule.when.iter().all(|c| holds(c, record, latest)) {
            errors.add(rule.field, rule.code, rule.message);
        }
    }
}

/// The value at a dotted path; `None` when absent or null.
fn lookup<'v>(record: &'v Value, path: &str) -> Option<&'v Value> {
    let mut node = record;
    for part in path.split('.') {
        node = node.get(part)?;
    }
    (!node.is_null()).then_some(node)
}

/// An operand's value: a time as milliseconds since the epoch, a number
/// as itself.
fn value_of(op: &Operand, record: &Value, latest: i64) -> Option<i64> {
    match *op {
        Operand::Field { path, plus_minutes } => match lookup(record, path)? {
            Value::String(s) => DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.timestamp_millis() + plus_minutes * 60_000),
            Value::Number(n) => n.as_i64(),
            _ => None,
        },
        Operand::Count { path } => lookup(record, path)?
            .as_array()
            .map(|a| a.len() as i64)
            .or(Some(0)),
        Operand::Latest => Some(latest),
        Operand::Number { value } => Some(value),
    }
}

fn holds(condition: &Condition, record: &Value, latest: i64) -> bool {
    match *condition {
        Condition::Is { path, value } => match (lookup(record, path), value) {
            (Some(Value::Bool(b)), Literal::Bool(want)) => *b == want,
            (Some(Value::String(s)), Literal::Code(want)) => s == want,
            _ => false,
        },
        Condition::Missing { path } => lookup(record, path).is_none(),
        Condition::Present { path } => lookup(record, path).is_some(),
        Condition::Compare { left, op, right } => {
            match (
                value_of(&left, record, latest),
                value_of(&right, record, latest),
            ) {
                (Some(l), Some(r)) => match op {
                    Comparison::Less => l < r,
                    Comparison::LessOrEqual => l <= r,
                    Comparison::Greater => l > r,
                    Comparison::GreaterOrEqual => l >= r,
                },
                _ => false,
            }
        }
    }
}

/// The worked examples: for every kind a valid record, and for every rule
/// a record that breaks exactly that rule, with the error the server
/// gives. Written to `openapi/rule-examples.json`; the app's evaluator
/// must answer each alike.
pub mod examples {
    use chrono::{DateTime, Utc};
    use serde_json::{json, Value};
    use uuid::Uuid;

    use super::{KindRuleSet, Rule, COMMON_RULES, KIND_RULES};
    use crate::domain::activities::check::{check_fields, Draft};
    use crate::domain::activities::NewActivity;
    use crate::models::activity::ActivityKind;
    use crate::validate::Errors;

    /// The instant the examples are evaluated at.
    pub const NOW: &str = "2026-03-02T12:00:00Z";
    /// The ward every example is recorded on.
    pub const WARD: &str = "00000000-0000-7000-8000-0000000000a1";
    /// The service users examples name, in order.
    pub const PEOPLE: [&str; 3] = [
        "00000000-0000-7000-8000-0000000000b1",
        "00000000-0000-7000-8000-0000000000b2",
        "00000000-0000-7000-8000-0000000000b3",
    ];

    /// A valid new activity of the set's kind, as the API takes it.
    pub fn valid(set: &KindRuleSet) -> Value {
        json!({
            "id": "00000000-0000-7000-8000-0000000000c1",
            "ward_id": WARD,
            "kind": set.kind.as_str(),
            "started_at": "2026-03-02T10:00:00Z",
            "ended_at": "2026-03-02T11:00:00Z",
            "service_user_ids": PEOPLE[..set.example_people],
            "details": serde_json::from_str::<Value>(set.example)
                .expect("a kind's example is JSON"),
        })
    }

    /// RFC 7396: objects merge, anything else replaces, null removes.
    pub fn merge_patch(target: &mut Value, patch: &Value) {
        match (target.as_object_mut(), patch.as_object()) {
            (Some(t), Some(p)) => {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
            _ => *target = patch.clone(),
        }
    }

    /// The record that breaks `rule` and nothing else.
    pub fn breaking(set: &KindRuleSet, rule: &Rule) -> Value {
        let mut record = valid(set);
        let patch: Value = serde_json::from_str(rule.breaks).expect("a rule's `breaks` is JSON");
        merge_patch(&mut record, &patch);
        record
    }

    /// The kind whose examples break the common rules (once, not per kind).
    pub const COMMON_KIND: ActivityKind = ActivityKind::OneToOne;

    /// What the server's own checks (all but the database's) answer for a
    /// new activity: `[{field, code}]`, empty when it would be stored.
    pub fn server_answer(record: &Value) -> Vec<Value> {
        let now: DateTime<Utc> = NOW.parse().expect("NOW is a time");
        let raw = serde_json::value::to_raw_value(record).expect("a record serialises");
        let body = match NewActivity::from_raw(&raw) {
            Ok(body) => body,
            Err(e) => return vec![json!({ "field": e.field, "code": e.code })],
        };
        let mut errors = Errors::new();
        let ended_at = Draft::end_of(
            body.started_at,
            body.ended_at,
            body.duration_minutes,
            &mut errors,
        );
        let draft = Draft {
            ward_id: body.ward_id,
            started_at: body.started_at,
            ended_at,
            co_worker_ids: body.co_worker_ids,
            service_user_ids: body.service_user_ids,
            note: body.note,
            details: body.details,
        };
        let found = check_fields(&draft, now, 36_500, None, Uuid::nil());
        errors
            .list()
            .iter()
            .chain(found.list())
            .map(|e| json!({ "field": e.field, "code": e.code }))
            .collect()
    }

    /// Every example, as the committed fixture holds them, each with what
    /// the server answers for it.
    pub fn all() -> Value {
        let mut items = Vec::new();
        for set in KIND_RULES {
            let record = valid(set);
            items.push(json!({
                "kind": set.kind.as_str(),
                "rule": null,
                "expect": server_answer(&record),
                "record": record,
            }));
            let common = if set.kind == COMMON_KIND {
                COMMON_RULES
            } else {
                &[]
            };
            for rule in common.iter().chain(set.rules) {
                let record = breaking(set, rule);
                items.push(json!({
                    "kind": set.kind.as_str(),
                    "rule": { "field": rule.field, "code": rule.code },
                    "expect": server_answer(&record),
                    "record": record,
                }));
            }
        }
        json!({
            "about": "Generated by `cargo run -- rule-examples` from the rules in src/domain/activities. Do not edit.",
            "now": NOW,
            "examples": items,
        })
    }

    /// The fixture as committed: pretty JSON with a trailing newline.
    pub fn json() -> String {
        let mut text = serde_json::to_string_pretty(&all()).expect("the examples serialise");
        text.push('\n');
        text
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::activities::rules::rules_of;

        /// The committed fixture the app's test reads is the code's.
        #[test]
        fn committed_examples_match_the_code() {
            let committed = std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/openapi/rule-examples.json"
            ))
            .expect("openapi/rule-examples.json exists");
            assert!(
                committed == json(),
                "openapi/rule-examples.json is out of date: run \
                 `cargo run -- rule-examples > openapi/rule-examples.json`"
            );
        }

        /// Every declared rule has a worked example on which the server's
        /// checks give that rule's code at that rule's path, every valid
        /// example passes, and every error an example draws is a declared
        /// rule's: no cross-field check answers outside the declarations.
        #[test]
        fn each_rule_is_what_the_server_enforces_on_its_example() {
            let all = all();
            let examples = all["examples"].as_array().unwrap();
            for set in KIND_RULES {
                let valid = examples
                    .iter()
                    .find(|x| x["kind"] == set.kind.as_str() && x["rule"].is_null())
                    .expect("each kind has a valid example");
                assert_eq!(valid["expect"], json!([]), "{}'s valid example", set.kind);
                let common = if set.kind == COMMON_KIND {
                    COMMON_RULES
                } else {
                    &[]
                };
                for rule in common.iter().chain(set.rules) {
                    let own = json!({ "field": rule.field, "code": rule.code });
                    let example = examples
                        .iter()
                        .find(|x| x["kind"] == set.kind.as_str() && x["rule"] == own)
                        .expect("each rule has an example");
                    let expect = example["expect"].as_array().unwrap();
                    assert!(
                        expect.contains(&own),
                        "{}: {own} not among {expect:?}",
                        set.kind
                    );
                    for e in expect {
                        assert!(
                            rules_of(set.kind)
                                .any(|r| e["field"] == r.field && e["code"] == r.code),
                            "{}: {e} is not a declared rule",
                            set.kind
                        );
                    }
                }
            }
        }

        /// A rule whose example also draws another error says why; the
        /// rest break exactly one rule.
        #[test]
        fn examples_break_one_rule_unless_another_must_follow() {
            for x in all()["examples"].as_array().unwrap() {
                let n = x["expect"].as_array().unwrap().len();
                let rule = &x["rule"];
                // A start in the future makes the end so; a return in the
                // future within the activity makes its end so.
                let follows = rule["code"] == "in_future"
                    && (rule["field"] == "started_at" || rule["field"] == "details.returned_at");
                if !rule.is_null() && !follows {
                    assert_eq!(n, 1, "{x}");
                }
            }
        }
    }
}
