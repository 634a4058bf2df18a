// Cohorts, students and buddies: adding them and registering volunteers.
import { useState } from "preact/hooks";
import { api, call, type Schemas } from "../../api/client";
import { Button, Input, NotificationBanner, Tag, Select, Table } from "../../components/nhs";
import { dayName } from "../../lib/dates";
import { humanise } from "../../lib/labels";
import { session } from "../../lib/session";
import { useStore } from "../../lib/store";
import { Loading, Problem, useTitle, actions } from "../common";
import { type Cohort, usePeople, registered } from "./shared";

export function PeopleScreen() {
  useTitle("Cohorts, students and buddies");
  const me = useStore(session).me;
  const coordinator = me?.role === "buddy_coordinator";
  const people = usePeople();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [st, setSt] = useState({ cohort_id: "", full_name: "", email: "" });
  const [bd, setBd] = useState({ full_name: "", buddy_type: "service_user" as Schemas["BuddyType"], capacity: "1" });
  if (people.error) return <Problem text={people.error} />;
  if (!people.data) return <Loading />;
  const cohort = new Map(people.data.cohorts.map((c: Cohort) => [c.id, c.name]));
  const act = actions(setError, setDone, () => people.reload());
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  return (
    <>
      {done && (
        <NotificationBanner success title="Success">
          <p class="nhsuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      )}
      {error && <Problem text={error} />}
      <h1>Cohorts, students and buddies</h1>
      <Table
        caption="Cohorts"
        head={["Cohort", "Institution", "Discipline", "Runs"]}
        rows={people.data.cohorts.map((c) => [
          c.name,
          c.institution,
          humanise(c.discipline),
          `${dayName(c.starts_on)} to ${dayName(c.ends_on)}`,
        ])}
      />
      <Table
        caption="Students"
        head={["Student", "Cohort", "Discipline", "Institution"]}
        rows={people.data.students.map((s) => [s.full_name, cohort.get(s.cohort_id) ?? "", humanise(s.discipline), s.institution])}
      />
      <Table
        caption="Buddies"
        head={["Buddy", "Lived experience", "Volunteer registration", "Places", ...(coordinator ? [""] : [])]}
        rows={people.data.buddies.map((b) => [
          b.full_name,
          humanise(b.buddy_type),
          registered(b) ? (
            <Tag colour="green">Registered</Tag>
          ) : (
            <Tag colour="orange">{`${humanise(b.volunteer_status)}: cannot be paired yet`}</Tag>
          ),
          b.capacity,
          ...(coordinator
            ? [
                registered(b) ? (
                  ""
                ) : (
                  <Button
                    key="r"
                    small
                    variant="secondary"
                    type="button"
                    onClick={() =>
                      void act(`${b.full_name} is now a registered volunteer`, () =>
                        call(
                          api.PATCH("/api/v1/buddy/buddies/{id}", {
                            params: { path: { id: b.id } },
                            body: { volunteer_status: "registered", volunteer_verified_on: today },
                          }),
                        ),
                      )
                    }
                  >
                    Registration verified today<span class="nhsuk-u-visually-hidden"> for {b.full_name}</span>
                  </Button>
                ),
              ]
            : []),
        ])}
      />
      {coordinator && (
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-half">
            <h2>Add a student</h2>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act(`${st.full_name} added`, () =>
                  call(api.POST("/api/v1/buddy/students", { body: st })).then(() => setSt({ ...st, full_name: "", email: "" })),
                );
              }}
            >
              <Select
                id="student-cohort"
                label="Cohort"
                value={st.cohort_id}
                onChange={(v) => setSt({ ...st, cohort_id: v })}
                options={[{ value: "", text: "Choose a cohort" }, ...people.data.cohorts.map((c) => ({ value: c.id, text: c.name }))]}
              />
              <Input id="student-name" label="Student's full name" value={st.full_name} onInput={(v) => setSt({ ...st, full_name: v })} />
              <Input
                id="student-email"
                label="Student's email"
                value={st.email}
                onInput={(v) => setSt({ ...st, email: v })}
                spellcheck={false}
              />
              <Button variant="secondary">Add student</Button>
            </form>
          </div>
          <div class="nhsuk-grid-column-one-half">
            <h2>Add a buddy</h2>
            <p>A new buddy waits for their volunteer registration to be verified before they can be paired.</p>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act(`${bd.full_name} added`, () =>
                  call(
                    api.POST("/api/v1/buddy/buddies", {
                      body: { full_name: bd.full_name, buddy_type: bd.buddy_type, capacity: Number(bd.capacity) || 1 },
                    }),
                  ).then(() => setBd({ ...bd, full_name: "" })),
                );
              }}
            >
              <Input id="buddy-name" label="Buddy's full name" value={bd.full_name} onInput={(v) => setBd({ ...bd, full_name: v })} />
              <Select
                id="buddy-type"
                label="Lived experience"
                value={bd.buddy_type}
                onChange={(v) => setBd({ ...bd, buddy_type: v as Schemas["BuddyType"] })}
                options={(["service_user", "carer"] as const).map((t) => ({ value: t, text: humanise(t) }))}
              />
              <Input
                id="buddy-capacity"
                label="Students at once"
                hint="From 1 to 10"
                value={bd.capacity}
                onInput={(v) => setBd({ ...bd, capacity: v })}
                width={2}
                inputMode="numeric"
              />
              <Button variant="secondary">Add buddy</Button>
            </form>
          </div>
        </div>
      )}
    </>
  );
}
