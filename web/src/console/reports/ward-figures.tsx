// Loading the trust's ward figures (restraint incidents, occupied bed days,
// discharges per ward and month) from a CSV file: sent as it is to
// PUT /api/v1/ward-figures, which loads all of it or none; every bad line is
// listed in the error summary, linked to the file input.
import { useState } from "preact/hooks";
import { api, ApiProblem, call } from "../../api/client";
import { Button, ErrorSummary, NotificationBanner } from "../../components/nhs";
import { problemText, useTitle } from "../common";

export function WardFiguresScreen() {
  useTitle("Load ward figures");
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [loaded, setLoaded] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        {errors.length > 0 && <ErrorSummary errors={errors.map((e) => ({ id: "figures-file", text: e }))} />}
        {loaded !== null && (
          <NotificationBanner success heading={`${loaded} ward months loaded`}>
            {null}
          </NotificationBanner>
        )}
        <h1>Load ward figures</h1>
        <p>
          A CSV file from the trust&rsquo;s systems whose first line is{" "}
          <code>ward_code,month,restraint_incidents,occupied_bed_days,discharges</code>, with a month as 2026-10. A month loaded again
          replaces the earlier figures. If any line is wrong, nothing is loaded.
        </p>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setErrors([]);
            setLoaded(null);
            if (!file) return setErrors(["Select a CSV file"]);
            setBusy(true);
            try {
              const text = await file.text();
              const { data } = await call(
                api.PUT("/api/v1/ward-figures", {
                  body: text as never,
                  bodySerializer: (b: unknown) => b as string,
                  headers: { "Content-Type": "text/csv" },
                }),
              );
              setLoaded(data.loaded);
            } catch (x) {
              const fields = x instanceof ApiProblem ? (x.problem.errors ?? []) : [];
              setErrors(
                fields.length ? fields.map((f) => `${f.field.replace(/^lines\[(\d+)\]\.?/, "Line $1: ")}${f.message}`) : [problemText(x)],
              );
            } finally {
              setBusy(false);
            }
          }}
        >
          <div class={`nhsuk-form-group${errors.length ? " nhsuk-form-group--error" : ""}`}>
            <label class="nhsuk-label" for="figures-file">
              Ward figures (CSV file)
            </label>
            <input
              class="nhsuk-input"
              id="figures-file"
              name="figures-file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </div>
          <Button disabled={busy}>Load figures</Button>
        </form>
      </div>
    </div>
  );
}
