// The coordinator's board: the pairings by status, filtered by cohort.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, NotificationBanner } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { Loading, Problem, problemText, readQuery, useLoad, useTitle } from "../common";
import { type Pairing, type PairingStatus, STATUSES, loadPairings, usePeople } from "./shared";

export function BoardScreen({ query }: { query: string }) {
  useTitle("Buddy Scheme pairings");
  const q = readQuery(query);
  const pairings = useLoad(loadPairings, []);
  const people = usePeople();
  const student = new Map((people.data?.students ?? []).map((s) => [s.id, s]));
  const buddy = new Map((people.data?.buddies ?? []).map((b) => [b.id, b]));
  const [error, setError] = useState<string>();
  const move = async (p: Pairing, status: PairingStatus) => {
    setError(undefined);
    try {
      await call(api.POST("/api/v1/buddy/pairings/{id}/status", { params: { path: { id: p.id } }, body: { status } }));
      pairings.reload();
    } catch (x) {
      setError(problemText(x));
    }
  };
  return (
    <>
      {q.paired && (
        <NotificationBanner success title="Success" heading="Pairing proposed">
          <p>Activate it when the student and buddy have agreed.</p>
        </NotificationBanner>
      )}
      <h1>Buddy Scheme pairings</h1>
      <p>
        <a class="nhsuk-button" href="#/console/buddy/new" draggable={false}>
          Pair a student with a buddy
        </a>
      </p>
      {error && <Problem text={error} />}
      {pairings.error && <Problem text={pairings.error} />}
      {!pairings.data || !people.data ? (
        <Loading what="pairings" />
      ) : (
        <div class="app-board">
          {STATUSES.map((s) => {
            const here = pairings.data?.filter((p) => p.status === s) ?? [];
            return (
              <section class="app-board__column" key={s} aria-labelledby={`col-${s}`}>
                <h2 class="nhsuk-heading-s" id={`col-${s}`}>
                  {humanise(s)} ({here.length})
                </h2>
                {here.map((p) => (
                  <div class="nhsuk-card" key={p.id}>
                    <div class="nhsuk-card__content">
                      <h3 class="nhsuk-card__heading nhsuk-heading-xs">
                        <a href={`#/console/buddy/pairing/${p.id}`}>
                          {student.get(p.student_id)?.full_name ?? "Student"} with {buddy.get(p.buddy_id)?.full_name ?? "buddy"}
                        </a>
                      </h3>
                      <p class="nhsuk-body-s">Series of {p.planned_meetings} meetings</p>
                      {s === "proposed" && (
                        <Button small variant="secondary" type="button" onClick={() => void move(p, "active")}>
                          Activate<span class="nhsuk-u-visually-hidden"> {student.get(p.student_id)?.full_name}'s pairing</span>
                        </Button>
                      )}
                    </div>
                  </div>
                ))}
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}
