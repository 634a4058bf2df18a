import { useEffect, useState } from "preact/hooks";
import type { Me } from "../api/client";
import { Button, ErrorMessage, ErrorSummary, Input, InsetText, NotificationBanner, WarningCallout } from "../components/nhs";
import { appConfig } from "../lib/config";
import { resetIdle } from "../lib/idle";
import { providerProblem, start as startProviderSignIn, type OidcConfig, type Purpose } from "../lib/oidc";
import { outbox } from "../lib/outbox";
import { go } from "../lib/router";
import { session, signIn, SignInError, signOut, unlock, type Method } from "../lib/session";
import { useStore } from "../lib/store";
import { waitInWords } from "../lib/wait";
import { EnrolTablet, thisTablet, useThisTablet } from "./enrol-tablet";

const SERVICE = "the Peer support log";

function signInMessage(e: unknown, lockedFor?: Me): string {
  if (e instanceof SignInError) {
    switch (e.reason) {
      case "cancelled":
        return "You cancelled signing in with your NHS account. To use this tablet, sign in again.";
      case "refused":
        return "Your NHS account could not sign you in. Try again. If it keeps happening, contact your IT service desk.";
      case "state":
        return "Your sign-in could not be finished because it was not started on this tablet, or it was already used. Sign in again.";
      case "not-linked":
        return `Your NHS account is not linked to ${SERVICE}. Ask your ${SERVICE.slice(4)} administrator to link it, then sign in again.`;
      case "inactive":
        return `Your account for ${SERVICE} is not active yet, or has been turned off. Ask your ${SERVICE.slice(4)} administrator to turn it on.`;
      case "other-person":
        return lockedFor
          ? `You signed in as ${e.who ?? "someone else"}, but this tablet is locked by ${lockedFor.display_name}. Only they can unlock it. To use the tablet yourself, choose "Switch user".`
          : "You signed in as someone else. Sign in again.";
      case "wrong":
        return "The username or password is not right. Check them and try again.";
      case "throttled":
        return `Too many attempts to sign in. Try again in ${waitInWords(e.retryAfterSeconds ?? 900)}. Your password has been kept.`;
      case "offline":
        return "There is no connection. You need one to sign in. Records already saved on this tablet are kept.";
      case "other":
        break;
    }
  }
  return "Sorry, there is a problem with the service. Try again later.";
}

/** "Sign in with your NHS account": sends the page to the trust's identity
 * provider (src/lib/oidc.ts). An error from the last attempt, or one found
 * before leaving, is shown in the screen's error summary. */
function NhsAccountButton({
  id,
  config,
  purpose,
  onError,
  describedBy,
  children,
}: {
  id: string;
  config: OidcConfig;
  purpose: Purpose;
  onError: (message: string) => void;
  describedBy?: string;
  children: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      type="button"
      id={id}
      aria-describedby={describedBy}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        startProviderSignIn(config, purpose).catch((e: unknown) => {
          setBusy(false);
          onError(signInMessage(e));
        });
      }}
    >
      {children}
    </Button>
  );
}

export function SignInScreen({ notice }: { notice?: string }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ id: string; text: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const items = useStore(outbox);
  const config = useStore(appConfig);
  const problem = useStore(providerProblem);
  const oidc = config?.oidc ?? null;
  const passwords = config?.local_login ?? true;
  const tablet = useThisTablet();
  const [settingUp, setSettingUp] = useState(false);
  const [enrolled, setEnrolled] = useState<string>();

  useEffect(() => {
    if (!settingUp) document.title = "Sign in – Peer support log – NHS";
  }, [settingUp]);

  // The NHS-account sign-in that just came back with a problem.
  useEffect(() => {
    if (problem) setErrors([{ id: "nhs-sign-in", text: signInMessage(problem) }]);
  }, [problem]);

  async function submit(e: Event) {
    e.preventDefault();
    providerProblem.set(null);
    const errs: { id: string; text: string }[] = [];
    if (!username.trim()) errs.push({ id: "username", text: "Enter your username" });
    if (!password) errs.push({ id: "password", text: "Enter your password" });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      await signIn(username, password);
      resetIdle();
      if (/^#\/(sign-out|switch-user)/.test(location.hash)) go("#/", true);
    } catch (err) {
      // After "too many attempts" the password was not checked: keep it, so
      // the worker only presses Sign in again when the wait is over.
      if (!(err instanceof SignInError && err.reason === "throttled")) setPassword("");
      setErrors([{ id: "password", text: signInMessage(err) }]);
    } finally {
      setBusy(false);
    }
  }

  const errorFor = (id: string) => errors.find((x) => x.id === id)?.text;
  const nhsError = errorFor("nhs-sign-in");
  if (settingUp)
    return (
      <EnrolTablet
        onDone={(t) => {
          thisTablet.set(t);
          setEnrolled(t.name ?? "a ward tablet");
          setSettingUp(false);
        }}
        onCancel={() => setSettingUp(false)}
      />
    );
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {notice && <NotificationBanner>{<p class="nhsuk-body">{notice}</p>}</NotificationBanner>}
        {enrolled && (
          <NotificationBanner success title="Success">
            <p class="nhsuk-notification-banner__heading">This tablet is set up as {enrolled}</p>
          </NotificationBanner>
        )}
        <h1>Sign in</h1>
        <p>
          This is a shared ward tablet. Sign in with your own {oidc && !passwords ? "NHS account" : "account"}, and sign out or lock it when
          you step away.
        </p>
        {oidc && (
          <div class={nhsError ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
            {nhsError && <ErrorMessage id="nhs-sign-in-error">{nhsError}</ErrorMessage>}
            <NhsAccountButton
              id="nhs-sign-in"
              config={oidc}
              purpose="sign-in"
              onError={(text) => setErrors([{ id: "nhs-sign-in", text }])}
              describedBy={nhsError ? "nhs-sign-in-error" : undefined}
            >
              Sign in with your NHS account
            </NhsAccountButton>
          </div>
        )}
        {passwords && (
          <>
            {oidc && <h2 class="nhsuk-heading-m">Or sign in with a username and password</h2>}
            <form onSubmit={submit} noValidate>
              <Input
                id="username"
                label="Username"
                value={username}
                onInput={setUsername}
                autoComplete="username"
                spellcheck={false}
                width={20}
                error={errorFor("username")}
              />
              <Input
                id="password"
                label="Password"
                type="password"
                value={password}
                onInput={setPassword}
                autoComplete="current-password"
                width={20}
                error={errorFor("password")}
              />
              <Button disabled={busy}>Sign in</Button>
            </form>
          </>
        )}
        {items.length > 0 && (
          <InsetText>
            <p>
              {items.length} record{items.length === 1 ? " is" : "s are"} waiting on this tablet. They are sent when the person who made
              them signs in.
            </p>
          </InsetText>
        )}
        {passwords && tablet?.enrolled && (
          <p class="nhsuk-body-s app-muted" id="this-tablet">
            This is {tablet.name}, a tablet set up by your trust.
          </p>
        )}
        {passwords && tablet && !tablet.enrolled && (
          <p class="nhsuk-body-s">
            <button type="button" class="nhsuk-link app-touch app-link-button" onClick={() => setSettingUp(true)}>
              Set up this tablet for the ward
            </button>{" "}
            (with a code from your digital team)
          </p>
        )}
      </div>
    </div>
  );
}

export function LockScreen({ me, method }: { me: Me; method: Method }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const items = useStore(outbox);
  const oidc = useStore(appConfig)?.oidc ?? null;
  const problem = useStore(providerProblem);
  const waiting = items.filter((i) => i.userId === me.id).length;
  const withProvider = method === "oidc";

  useEffect(() => {
    document.title = "Locked – Peer support log – NHS";
  }, []);

  // Back from the provider with a problem (someone else, cancelled, …).
  useEffect(() => {
    if (problem) setError(signInMessage(problem, me));
  }, [problem]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!password) {
      setError("Enter your password");
      return;
    }
    setBusy(true);
    try {
      await unlock(password);
      resetIdle();
    } catch (err) {
      if (!(err instanceof SignInError && err.reason === "throttled")) setPassword("");
      setError(
        err instanceof SignInError && err.reason === "offline"
          ? "There is no connection, so the password cannot be checked. Try again when the connection returns."
          : signInMessage(err),
      );
    } finally {
      setBusy(false);
    }
  }

  const switchUser = (
    <p class="nhsuk-body nhsuk-u-margin-bottom-0">
      Not {me.display_name}?{" "}
      <button
        type="button"
        class="nhsuk-link app-touch app-link-button"
        onClick={() => {
          providerProblem.set(null);
          go("#/", true);
          void signOut();
        }}
      >
        Switch user
      </button>
    </p>
  );
  const kept =
    waiting > 0 &&
    ` ${waiting} record${waiting === 1 ? "" : "s"} saved on this tablet ${waiting === 1 ? "is" : "are"} kept and will be sent.`;

  if (withProvider) {
    const fieldId = "nhs-unlock";
    return (
      <div class="app-lock">
        <ErrorSummary errors={error ? [{ id: fieldId, text: error }] : []} />
        <h1>This tablet is locked</h1>
        <p>
          {me.display_name} is signed in. Sign in with your NHS account again to carry on where you left off.
          {kept}
        </p>
        <div class={error ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
          {error && <ErrorMessage id={`${fieldId}-error`}>{error}</ErrorMessage>}
          <div class="app-inline-buttons">
            {oidc ? (
              <NhsAccountButton
                id={fieldId}
                config={oidc}
                purpose="unlock"
                onError={setError}
                describedBy={error ? `${fieldId}-error` : undefined}
              >
                Unlock with your NHS account
              </NhsAccountButton>
            ) : (
              <p class="nhsuk-body nhsuk-u-margin-bottom-0" id={fieldId}>
                NHS account sign-in is not available just now. Try again when the connection returns.
              </p>
            )}
            {switchUser}
          </div>
        </div>
      </div>
    );
  }

  return (
    <div class="app-lock">
      <ErrorSummary errors={error ? [{ id: "unlock-password", text: error }] : []} />
      <h1>This tablet is locked</h1>
      <p>
        {me.display_name} is signed in. Enter your password to carry on where you left off.
        {kept}
      </p>
      <form onSubmit={submit} noValidate>
        <Input
          id="unlock-password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          width={20}
          error={error}
        />
        <div class="app-inline-buttons">
          <Button disabled={busy}>Unlock</Button>
          {switchUser}
        </div>
      </form>
    </div>
  );
}

export function SignOutScreen({ switchUser }: { switchUser: boolean }) {
  const userId = useStore(session).me?.id;
  const items = useStore(outbox);
  const [busy, setBusy] = useState(false);
  const waiting = items.filter((i) => i.userId === userId).length;

  const doIt = async () => {
    setBusy(true);
    go("#/", true);
    await signOut();
  };

  useEffect(() => {
    document.title = `${switchUser ? "Switch user" : "Sign out"} – Peer support log – NHS`;
    if (userId !== undefined && waiting === 0) void doIt();
  }, [userId]);

  if (userId === undefined || waiting === 0) return <p>Signing out…</p>;
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <h1>{switchUser ? "Switch user" : "Sign out"}</h1>
        <WarningCallout heading={`You have ${waiting} record${waiting === 1 ? "" : "s"} not sent yet`}>
          <p>
            {waiting === 1 ? "It stays" : "They stay"} on this tablet, encrypted, and will be sent the next time you sign in here. The app
            does not show {waiting === 1 ? "it" : "them"} to anyone else who signs in.
          </p>
          <p>
            The encryption stops anyone reading {waiting === 1 ? "it" : "them"} from a copy of the tablet's storage. It does not protect
            against someone who can change the app or the browser on this tablet, so lock the tablet when you step away.
          </p>
          <p>To send {waiting === 1 ? "it" : "them"} now, go back and choose "Send now" while there is a connection.</p>
        </WarningCallout>
        <div class="app-inline-buttons">
          <Button type="button" variant="warning" disabled={busy} onClick={() => void doIt()}>
            {switchUser ? "Switch user anyway" : "Sign out anyway"}
          </Button>
          <a class="nhsuk-link app-touch" href="#/waiting">
            Go back to records waiting to send
          </a>
        </div>
      </div>
    </div>
  );
}
