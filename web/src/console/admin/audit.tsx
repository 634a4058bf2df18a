// The audit log, with its filters in the URL.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, DateInput, ErrorSummary, Input, Select, Table } from "../../components/nhs";
import { addDays, datePartsOfIso, isoDate, parseDate, validIso, type DateParts } from "../../lib/dates";
import { dayAndTime, roleLabel } from "../../lib/labels";
import { Loading, Problem, readQuery, setQuery, useLoad, useTitle } from "../common";
import { allUsers } from "./shared";

export function AuditScreen({ query }: { query: string }) {
  useTitle("Audit log");
  const q = readQuery(query);
  const [f, setF] = useState({
    actor_id: q.actor_id ?? "",
    entity_type: q.entity_type ?? "",
    entity_id: q.entity_id ?? "",
    action: q.action ?? "",
  });
  // Days in UK order; both included (the API's `to` is the instant after).
  const [fromParts, setFromParts] = useState<DateParts>(datePartsOfIso(q.from ?? ""));
  const [toParts, setToParts] = useState<DateParts>(datePartsOfIso(q.to ?? ""));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const key = JSON.stringify(q);
  const [pages, setPages] = useState<{ key: string; cursors: (string | undefined)[] }>({ key, cursors: [undefined] });
  const cursors = pages.key === key ? pages.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const users = useLoad(allUsers, []);
  const toInstant = (d: string | undefined) => (d ? new Date(`${d}T00:00:00`).toISOString() : undefined);
  const filters = {
    actor_id: q.actor_id || undefined,
    entity_type: q.entity_type || undefined,
    entity_id: q.entity_id || undefined,
    action: q.action || undefined,
    from: toInstant(validIso(q.from) ?? undefined),
    to: toInstant(validIso(q.to) ? addDays(validIso(q.to) as string, 1) : undefined),
  };
  const page = useLoad(
    async () => (await call(api.GET("/api/v1/audit", { params: { query: { ...filters, limit: 50, cursor } } }))).data,
    [key, cursor],
  );
  const errorOf = (prefix: string) => {
    const k = Object.keys(errors).find((x) => x.startsWith(prefix));
    return k ? { text: errors[k], part: k.slice(prefix.length + 1) } : undefined;
  };
  const who = new Map((users.data ?? []).map((u) => [u.id, u.display_name]));
  return (
    <>
      <h1>Audit log</h1>
      <form
        class="app-filters"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const errs: Record<string, string> = {};
          const day = (p: DateParts, key: string, name: string) => {
            if (!p.day.trim() && !p.month.trim() && !p.year.trim()) return "";
            const r = parseDate(p, name);
            if (r.ok) return isoDate(r.date);
            errs[`${key}-${r.parts[0]}`] = r.error;
            return "";
          };
          const from = day(fromParts, "audit-from", "The first day");
          const to = day(toParts, "audit-to", "The last day");
          if (from && to && to < from) errs["audit-to-day"] = "The last day must be the same as or after the first day";
          setErrors(errs);
          if (Object.keys(errs).length) {
            setAttempt((n) => n + 1);
            return;
          }
          setQuery("/audit", { ...f, from, to });
        }}
      >
        <ErrorSummary errors={Object.entries(errors).map(([id, text]) => ({ id, text }))} attempt={attempt} />
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-third">
            <Select
              id="actor"
              label="Who"
              value={f.actor_id}
              onChange={(v) => setF({ ...f, actor_id: v })}
              options={[
                { value: "", text: "Anyone" },
                ...(users.data ?? []).map((u) => ({ value: u.id, text: `${u.display_name} (${u.username})` })),
              ]}
            />
          </div>
          <div class="nhsuk-grid-column-one-third">
            <Input
              id="entity_type"
              label="Type of record"
              hint="For example user, ward, activity, session"
              value={f.entity_type}
              onInput={(v) => setF({ ...f, entity_type: v })}
            />
          </div>
          <div class="nhsuk-grid-column-one-third">
            <Input
              id="action"
              label="Action"
              hint="For example create, update, read, login_failed"
              value={f.action}
              onInput={(v) => setF({ ...f, action: v })}
            />
          </div>
        </div>
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-third">
            <Input id="entity_id" label="Record id" value={f.entity_id} onInput={(v) => setF({ ...f, entity_id: v })} />
          </div>
        </div>
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-half">
            <DateInput
              id="audit-from"
              label="From"
              hint="The first day, included. For example, 1 12 2026"
              optional
              value={fromParts}
              onChange={setFromParts}
              error={errorOf("audit-from")?.text}
              errorPart={errorOf("audit-from")?.part}
            />
          </div>
          <div class="nhsuk-grid-column-one-half">
            <DateInput
              id="audit-to"
              label="To"
              hint="The last day, included"
              optional
              value={toParts}
              onChange={setToParts}
              error={errorOf("audit-to")?.text}
              errorPart={errorOf("audit-to")?.part}
            />
          </div>
        </div>
        <Button>Filter</Button>
      </form>
      {page.error && <Problem text={page.error} />}
      {!page.data ? (
        <Loading what="the audit log" />
      ) : (
        <>
          <Table
            caption="Audit entries, newest first"
            head={["When", "Who", "Action", "Record", "Details"]}
            rows={page.data.items.map((a) => [
              dayAndTime(a.occurred_at),
              a.actor_id
                ? `${who.get(a.actor_id) ?? a.actor_id}${a.actor_role ? ` (${roleLabel(a.actor_role)})` : ""}`
                : "Nobody signed in",
              a.action,
              `${a.entity_type}${a.entity_id ? ` ${a.entity_id}` : ""}`,
              <code class="app-audit-details" key="d">
                {JSON.stringify(a.details)}
              </code>,
            ])}
          />
          <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-full">
              {cursors.length > 1 && (
                <Button type="button" variant="secondary" onClick={() => setPages({ key, cursors: cursors.slice(0, -1) })}>
                  Newer entries
                </Button>
              )}{" "}
              {page.data.next_cursor && (
                <Button
                  type="button"
                  variant="secondary"
                  onClick={() => setPages({ key, cursors: [...cursors, page.data?.next_cursor ?? undefined] })}
                >
                  Older entries
                </Button>
              )}
            </div>
          </div>
        </>
      )}
    </>
  );
}
