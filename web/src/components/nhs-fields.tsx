// NHS.UK frontend form fields (text input, textarea, radios, checkboxes,
// select), each with its label, hint and error message wired together by
// ids. Imported through ./nhs, with the rest of the components.
import { Fragment, type ComponentChildren } from "preact";
import { cx, ErrorMessage } from "./nhs";

// ---- form fields -----------------------------------------------------------

interface FieldFrame {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  /** Label / legend size. */
  size?: "s" | "m" | "l";
  /** Whether the label is the page heading. */
  isPageHeading?: boolean;
  optional?: boolean;
}

function describedBy(id: string, hint?: unknown, error?: string, extra?: string) {
  return [hint ? `${id}-hint` : "", error ? `${id}-error` : "", extra ?? ""].filter(Boolean).join(" ") || undefined;
}

function labelText(label: ComponentChildren, optional?: boolean) {
  return (
    <>
      {label}
      {optional && <span class="nhsuk-u-font-weight-normal"> (optional)</span>}
    </>
  );
}

export function Input({
  id,
  label,
  hint,
  error,
  size = "s",
  optional,
  value,
  onInput,
  type = "text",
  width,
  inputMode,
  autoComplete,
  min,
  max,
  spellcheck,
  after,
}: FieldFrame & {
  value: string;
  onInput: (v: string) => void;
  type?: "text" | "number" | "datetime-local" | "password" | "date";
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
  inputMode?: "numeric" | "text";
  autoComplete?: string;
  min?: number | string;
  max?: number | string;
  spellcheck?: boolean;
  after?: ComponentChildren;
}) {
  return (
    <div class={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      <label class={cx("nhsuk-label", size !== "s" && `nhsuk-label--${size}`)} for={id}>
        {labelText(label, optional)}
      </label>
      {hint && (
        <div class="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <input
        class={cx("nhsuk-input", width && `nhsuk-input--width-${width}`, error && "nhsuk-input--error")}
        id={id}
        name={id}
        type={type}
        value={value}
        inputMode={inputMode}
        autoComplete={autoComplete ?? "off"}
        spellcheck={spellcheck}
        min={min}
        max={max}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
      {after}
    </div>
  );
}

export function Textarea({
  id,
  label,
  hint,
  error,
  size = "s",
  optional,
  value,
  onInput,
  maxLength,
  rows = 4,
}: FieldFrame & { value: string; onInput: (v: string) => void; maxLength?: number; rows?: number }) {
  const left = maxLength ? maxLength - value.length : 0;
  return (
    <div class={cx("nhsuk-form-group", error && "nhsuk-form-group--error", !!maxLength && "nhsuk-character-count")}>
      <label class={cx("nhsuk-label", size !== "s" && `nhsuk-label--${size}`)} for={id}>
        {labelText(label, optional)}
      </label>
      {hint && (
        <div class="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <textarea
        class={cx("nhsuk-textarea", error && "nhsuk-textarea--error")}
        id={id}
        name={id}
        rows={rows}
        value={value}
        aria-describedby={describedBy(id, hint, error, maxLength ? `${id}-info` : undefined)}
        onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)}
      />
      {maxLength ? (
        <div
          class={cx("nhsuk-hint nhsuk-character-count__message", left < 0 && "nhsuk-error-message")}
          id={`${id}-info`}
          aria-live="polite"
        >
          {left >= 0
            ? `You have ${left} character${left === 1 ? "" : "s"} remaining`
            : `You have ${-left} character${left === -1 ? "" : "s"} too many`}
        </div>
      ) : null}
    </div>
  );
}

export interface Choice {
  value: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  /** Shown under the choice while it is selected. */
  conditional?: ComponentChildren;
}

function Fieldset({ id, label, hint, error, size = "s", isPageHeading, optional, children }: FieldFrame & { children: ComponentChildren }) {
  return (
    <div class={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      <fieldset class="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend class={cx("nhsuk-fieldset__legend", `nhsuk-fieldset__legend--${size}`)}>
          {isPageHeading ? <h1 class="nhsuk-fieldset__heading">{labelText(label, optional)}</h1> : labelText(label, optional)}
        </legend>
        {hint && (
          <div class="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
        {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
        {children}
      </fieldset>
    </div>
  );
}

export function Radios({
  value,
  onChange,
  choices,
  inline,
  ...frame
}: FieldFrame & { value: string; onChange: (v: string) => void; choices: Choice[]; inline?: boolean }) {
  return (
    <Fieldset {...frame}>
      <div class={cx("nhsuk-radios", inline && "nhsuk-radios--inline", choices.some((c) => c.conditional) && "nhsuk-radios--conditional")}>
        {choices.map((c, i) => {
          const itemId = i === 0 ? frame.id : `${frame.id}-${i + 1}`;
          const checked = value === c.value;
          return (
            <Fragment key={c.value}>
              <div class="nhsuk-radios__item">
                <input
                  class="nhsuk-radios__input"
                  id={itemId}
                  name={frame.id}
                  type="radio"
                  value={c.value}
                  checked={checked}
                  aria-describedby={c.hint ? `${itemId}-item-hint` : undefined}
                  onChange={() => onChange(c.value)}
                />
                <label class="nhsuk-label nhsuk-radios__label" for={itemId}>
                  {c.label}
                </label>
                {c.hint && (
                  <div class="nhsuk-hint nhsuk-radios__hint" id={`${itemId}-item-hint`}>
                    {c.hint}
                  </div>
                )}
              </div>
              {c.conditional && checked && (
                <div class="nhsuk-radios__conditional" id={`conditional-${itemId}`}>
                  {c.conditional}
                </div>
              )}
            </Fragment>
          );
        })}
      </div>
    </Fieldset>
  );
}

export function Checkboxes({
  values,
  onChange,
  choices,
  ...frame
}: FieldFrame & { values: string[]; onChange: (v: string[]) => void; choices: Choice[] }) {
  return (
    <Fieldset {...frame}>
      <div class="nhsuk-checkboxes">
        {choices.map((c, i) => {
          const itemId = i === 0 ? frame.id : `${frame.id}-${i + 1}`;
          const checked = values.includes(c.value);
          return (
            <div class="nhsuk-checkboxes__item" key={c.value}>
              <input
                class="nhsuk-checkboxes__input"
                id={itemId}
                name={frame.id}
                type="checkbox"
                value={c.value}
                checked={checked}
                aria-describedby={c.hint ? `${itemId}-item-hint` : undefined}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  onChange(on ? [...values.filter((v) => v !== c.value), c.value] : values.filter((v) => v !== c.value));
                }}
              />
              <label class="nhsuk-label nhsuk-checkboxes__label" for={itemId}>
                {c.label}
              </label>
              {c.hint && (
                <div class="nhsuk-hint nhsuk-checkboxes__hint" id={`${itemId}-item-hint`}>
                  {c.hint}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </Fieldset>
  );
}

// ---- summary list ----------------------------------------------------------

export function Select({
  id,
  label,
  value,
  onChange,
  options,
  hint,
}: {
  id: string;
  label: ComponentChildren;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; text: string }[];
  hint?: string;
}) {
  return (
    <div class="nhsuk-form-group">
      <label class="nhsuk-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <select
        class="nhsuk-select"
        id={id}
        name={id}
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}
