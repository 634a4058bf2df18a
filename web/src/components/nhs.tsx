// NHS.UK frontend components, as Preact components producing the design
// system's own markup and classes (its styles are compiled in main.scss; its
// JavaScript is not needed: the few behaviours are done here).
import { type ComponentChildren, type JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}

/** Focuses the element with that id (a field named in an error summary, for
 * example) without touching the location: the app routes on the hash. */
export function focusField(id: string) {
  const el = document.getElementById(id);
  if (!el) return;
  // The question's legend when the field is in a fieldset (radios, a date).
  const fieldset = el.closest("fieldset");
  const group = el.closest(".nhsuk-form-group") as HTMLElement | null;
  const legend = fieldset?.querySelector("legend") ?? group?.querySelector("legend");
  (legend ?? group ?? el).scrollIntoView({ block: "start" });
  el.focus({ preventScroll: true });
}

// ---- page furniture --------------------------------------------------------

export function NhsLogo() {
  return (
    <svg
      class="nhsuk-header__logo"
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 200 80"
      height="40"
      width="100"
      focusable="false"
      role="img"
      aria-label="NHS"
    >
      <title>NHS</title>
      <path
        fill="currentcolor"
        d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
      />
    </svg>
  );
}

export interface AccountItem {
  text: string;
  href?: string;
  onClick?: () => void;
}

export function Header({ serviceName, homeHref, account }: { serviceName: string; homeHref: string; account?: AccountItem[] }) {
  return (
    <header class="nhsuk-header" role="banner">
      <div class="nhsuk-header__container nhsuk-width-container">
        <div class="nhsuk-header__service">
          <a class="nhsuk-header__service-logo" href={homeHref} aria-label={`NHS ${serviceName} homepage`}>
            <NhsLogo />
            <span class="nhsuk-header__service-name">{serviceName}</span>
          </a>
        </div>
        {account && account.length > 0 && (
          <nav class="nhsuk-header__account" aria-label="Account">
            <ul class="nhsuk-header__account-list">
              {account.map((item) => (
                <li class="nhsuk-header__account-item" key={item.text}>
                  {item.href ? (
                    <a class="nhsuk-header__account-link" href={item.href}>
                      {item.text}
                    </a>
                  ) : item.onClick ? (
                    <button type="button" class="nhsuk-header__account-button" onClick={item.onClick}>
                      {item.text}
                    </button>
                  ) : (
                    item.text
                  )}
                </li>
              ))}
            </ul>
          </nav>
        )}
      </div>
    </header>
  );
}

export function Footer() {
  return (
    <footer class="nhsuk-footer" role="contentinfo">
      <div class="nhsuk-width-container">
        <div class="nhsuk-footer__meta">
          <p class="nhsuk-body-s">
            Peer support log. What you record here is part of the clinical record: lock or sign out before you leave the tablet.
          </p>
        </div>
      </div>
    </footer>
  );
}

export function BackLink({ href, children = "Back" }: { href: string; children?: ComponentChildren }) {
  return (
    <a class="nhsuk-back-link" href={href}>
      {children}
    </a>
  );
}

// ---- messages --------------------------------------------------------------

export interface SummaryError {
  /** The id of the input to focus. */
  id: string;
  text: string;
}

/**
 * The NHS.UK error summary: each message a link to its field. It takes the
 * focus when its messages change, and on every failed submit when the form
 * counts them in `attempt` (the same mistakes twice are read out twice).
 */
export function ErrorSummary({
  errors,
  title = "There is a problem",
  attempt = 0,
}: {
  errors: SummaryError[];
  title?: string;
  attempt?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useRef(`error-summary-${Math.random().toString(36).slice(2, 8)}`).current;
  const signature = errors.map((e) => e.id + e.text).join("|");
  useEffect(() => {
    if (errors.length) {
      ref.current?.scrollIntoView({ block: "start" });
      ref.current?.focus();
    }
  }, [signature, attempt]);
  if (!errors.length) return null;
  return (
    <div class="nhsuk-error-summary" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <div role="alert">
        <h2 class="nhsuk-error-summary__title" id={titleId}>
          {title}
        </h2>
        <div class="nhsuk-error-summary__body">
          <ul class="nhsuk-list nhsuk-error-summary__list">
            {errors.map((e) => (
              <li key={e.id + e.text}>
                <a
                  href={`#${e.id}`}
                  onClick={(ev) => {
                    ev.preventDefault();
                    focusField(e.id);
                  }}
                >
                  {e.text}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

export function ErrorMessage({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <span class="nhsuk-error-message" id={id}>
      <span class="nhsuk-u-visually-hidden">Error:</span> {children}
    </span>
  );
}

export function NotificationBanner({
  success,
  title,
  heading,
  children,
  focus,
}: {
  success?: boolean;
  title?: string;
  heading?: ComponentChildren;
  children?: ComponentChildren;
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  const id = useRef(`nb-${Math.random().toString(36).slice(2, 8)}`).current;
  return (
    <div
      class={cx("nhsuk-notification-banner", success && "nhsuk-notification-banner--success")}
      role={success ? "alert" : "region"}
      aria-labelledby={id}
      tabIndex={focus ? -1 : undefined}
      ref={ref}
    >
      <div class="nhsuk-notification-banner__header">
        <h2 class="nhsuk-notification-banner__title" id={id}>
          {title ?? (success ? "Success" : "Important")}
        </h2>
      </div>
      <div class="nhsuk-notification-banner__content">
        {heading && <p class="nhsuk-notification-banner__heading">{heading}</p>}
        {children}
      </div>
    </div>
  );
}

export function InsetText({ children }: { children: ComponentChildren }) {
  return (
    <div class="nhsuk-inset-text">
      <span class="nhsuk-u-visually-hidden">Information: </span>
      {children}
    </div>
  );
}

export function WarningCallout({ heading, children }: { heading: string; children: ComponentChildren }) {
  return (
    <div class="nhsuk-warning-callout">
      <h3 class="nhsuk-warning-callout__label">
        <span class="nhsuk-u-visually-hidden">Important: </span>
        {heading}
      </h3>
      {children}
    </div>
  );
}

export type TagColour = "white" | "grey" | "green" | "aqua-green" | "blue" | "purple" | "pink" | "red" | "orange" | "yellow";

export function Tag({ colour, children }: { colour?: TagColour; children: ComponentChildren }) {
  return <strong class={cx("nhsuk-tag", colour && `nhsuk-tag--${colour}`)}>{children}</strong>;
}

// ---- buttons ---------------------------------------------------------------

type ButtonVariant = "primary" | "secondary" | "reverse" | "warning";

export function Button({
  variant = "primary",
  small,
  type = "submit",
  onClick,
  disabled,
  children,
  class: extra,
  ...rest
}: {
  variant?: ButtonVariant;
  small?: boolean;
  type?: "submit" | "button";
  onClick?: (e: MouseEvent) => void;
  disabled?: boolean;
  children: ComponentChildren;
  class?: string;
} & Omit<JSX.HTMLAttributes<HTMLButtonElement>, "onClick" | "type" | "class" | "size">) {
  return (
    <button
      type={type}
      class={cx("nhsuk-button", variant !== "primary" && `nhsuk-button--${variant}`, small && "nhsuk-button--small", extra)}
      data-module="nhsuk-button"
      onClick={onClick}
      disabled={disabled}
      aria-disabled={disabled ? "true" : undefined}
      {...rest}
    >
      {children}
    </button>
  );
}

export function ButtonLink({
  href,
  variant = "primary",
  children,
}: {
  href: string;
  variant?: ButtonVariant;
  children: ComponentChildren;
}) {
  return (
    <a
      href={href}
      draggable={false}
      class={cx("nhsuk-button", variant !== "primary" && `nhsuk-button--${variant}`)}
      data-module="nhsuk-button"
    >
      {children}
    </a>
  );
}

export function SummaryList({ rows, noBorder }: { rows: { key: ComponentChildren; value: ComponentChildren }[]; noBorder?: boolean }) {
  return (
    <dl class={cx("nhsuk-summary-list", noBorder && "nhsuk-summary-list--no-border")}>
      {rows.map((r, i) => (
        <div class="nhsuk-summary-list__row" key={i}>
          <dt class="nhsuk-summary-list__key">{r.key}</dt>
          <dd class="nhsuk-summary-list__value">{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A table with a caption (the NHS.UK table); `foot` is a total row. */
export function Table({
  caption,
  head,
  rows,
  numeric = [],
  foot,
}: {
  caption: ComponentChildren;
  head: string[];
  rows: ComponentChildren[][];
  numeric?: number[];
  foot?: ComponentChildren[];
}) {
  return (
    <div class="app-table-scroll" tabIndex={0} role="region" aria-label={typeof caption === "string" ? caption : undefined}>
      <table class="nhsuk-table" role="table">
        <caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead class="nhsuk-table__head">
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" class={cx("nhsuk-table__header", numeric.includes(i) && "nhsuk-table__header--numeric")}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {rows.length === 0 && (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell" colSpan={head.length}>
                Nothing in this period.
              </td>
            </tr>
          )}
          {rows.map((r, ri) => (
            <tr class="nhsuk-table__row" key={ri}>
              {r.map((c, i) =>
                i === 0 ? (
                  <th scope="row" class="nhsuk-table__header" key={i}>
                    {c}
                  </th>
                ) : (
                  <td class={cx("nhsuk-table__cell", numeric.includes(i) && "nhsuk-table__cell--numeric")} key={i}>
                    {c}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {foot && rows.length > 0 && (
          <tfoot class="app-table-total">
            <tr class="nhsuk-table__row">
              {foot.map((c, i) =>
                i === 0 ? (
                  <th scope="row" class="nhsuk-table__header" key={i}>
                    {c}
                  </th>
                ) : (
                  <td class={cx("nhsuk-table__cell", numeric.includes(i) && "nhsuk-table__cell--numeric")} key={i}>
                    {c}
                  </td>
                ),
              )}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

export * from "./nhs-fields";
