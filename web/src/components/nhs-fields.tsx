// NHS.UK frontend form fields (text input, textarea, radios, checkboxes,
// select), each with its label, hint and error message wired together by
// ids. Imported through ./nhs, with the rest of the components.
import { Fragment, type ComponentChildren } from "preact";
import type { DateParts } from "../lib/dates";
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

/**
 * The NHS.UK date input: day, month and year boxes (UK order, numeric
 * keypad), and with `time` a fourth box for a 24-hour time such as 14:30.
 * Its boxes' ids are `${id}-day`, `-month`, `-year` and `-time`, for the
 * error summary's links; `errorPart` marks the one box at fault (all of
 * them when not given).
 */
export function DateInput({
  id,
  label,
  hint,
  error,
  errorPart,
  size = "s",
  optional,
  value,
  time,
  onChange,
  onTime,
  after,
}: FieldFrame & {
  value: DateParts;
  onChange: (v: DateParts) => void;
  errorPart?: string;
  /** The time box's value, when the field asks for one. */
  time?: string;
  onTime?: (v: string) => void;
  after?: ComponentChildren;
}) {
  const bad = (part: string) => !!error && (!errorPart || errorPart === part);
  const box = (part: "day" | "month" | "year", text: string, width: 2 | 4) => (
    <div class="nhsuk-date-input__item" key={part}>
      <div class={cx("nhsuk-form-group", bad(part) && "nhsuk-form-group--error")}>
        <label class="nhsuk-label nhsuk-date-input__label" for={`${id}-${part}`}>
          {text}
        </label>
        <input
          class={cx("nhsuk-input nhsuk-date-input__input", `nhsuk-input--width-${width}`, bad(part) && "nhsuk-input--error")}
          id={`${id}-${part}`}
          name={`${id}-${part}`}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={value[part]}
          onInput={(e) => onChange({ ...value, [part]: (e.target as HTMLInputElement).value })}
        />
      </div>
    </div>
  );
  return (
    <div class={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      <fieldset class="nhsuk-fieldset" role="group" aria-describedby={describedBy(id, hint, error)}>
        <legend class={cx("nhsuk-fieldset__legend", `nhsuk-fieldset__legend--${size}`)}>{labelText(label, optional)}</legend>
        {hint && (
          <div class="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
        {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
        <div class="nhsuk-date-input" id={id}>
          {box("day", "Day", 2)}
          {box("month", "Month", 2)}
          {box("year", "Year", 4)}
          {time !== undefined && (
            <div class="nhsuk-date-input__item app-time-input">
              <div class={cx("nhsuk-form-group", bad("time") && "nhsuk-form-group--error")}>
                <label class="nhsuk-label nhsuk-date-input__label" for={`${id}-time`}>
                  Time
                </label>
                <input
                  class={cx("nhsuk-input nhsuk-date-input__input nhsuk-input--width-5", bad("time") && "nhsuk-input--error")}
                  id={`${id}-time`}
                  name={`${id}-time`}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={time}
                  onInput={(e) => onTime?.((e.target as HTMLInputElement).value)}
                />
              </div>
            </div>
          )}
        </div>
        {after}
      </fieldset>
    </div>
  );
}

// ---- select ----------------------------------------------------------------

export function Select({
  id,
  label,
  value,
  onChange,
  options,
  hint,
  error,
}: {
  id: string;
  label: ComponentChildren;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; text: string }[];
  hint?: string;
  error?: string;
}) {
  return (
    <div class={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      <label class="nhsuk-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <select
        class={cx("nhsuk-select", error && "nhsuk-select--error")}
        id={id}
        name={id}
        value={value}
        aria-describedby={describedBy(id, hint, error)}
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
