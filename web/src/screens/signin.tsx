import { useEffect, useState } from "preact/hooks";
import type { Me } from "../api/client";
import { Button, ErrorSummary, Input, InsetText, NotificationBanner, WarningCallout } from "../components/nhs";
import { resetIdle } from "../lib/idle";
import { outbox } from "../lib/outbox";
import { go } from "../lib/router";
import { session, signIn, SignInError, signOut, unlock } from "../lib/session";
import { useStore } from "../lib/store";

function signInMessage(e: unknown): string {
  if (e instanceof SignInError) {
    switch (e.reason) {
      case "wrong":
        return "The username or password is not right. Check them and try again.";
      case "throttled": {
        const minutes = Math.max(1, Math.ceil((e.retryAfterSeconds ?? 900) / 60));
        return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
      }
      case "offline":
        return "There is no connection. You need one to sign in. Records already saved on this tablet are kept.";
    }
  }
  return "Sorry, there is a problem with the service. Try again later.";
}

export function SignInScreen({ notice }: { notice?: string }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ id: string; text: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const items = useStore(outbox);

  useEffect(() => {
    document.title = "Sign in – Peer support log – NHS";
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
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
      setPassword("");
      setErrors([{ id: "password", text: signInMessage(err) }]);
    } finally {
      setBusy(false);
    }
  }

  const errorFor = (id: string) => errors.find((x) => x.id === id)?.text;
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {notice && <NotificationBanner>{<p class="nhsuk-body">{notice}</p>}</NotificationBanner>}
        <h1>Sign in</h1>
        <p>This is a shared ward tablet. Sign in with your own username and password, and sign out or lock it when you step away.</p>
        <form onSubmit={submit} noValidate>
          <Input id="username" label="Username" value={username} onInput={setUsername} autoComplete="username" spellcheck={false} width={20} error={errorFor("username")} />
          <Input id="password" label="Password" type="password" value={password} onInput={setPassword} autoComplete="current-password" width={20} error={errorFor("password")} />
          <Button disabled={busy}>Sign in</Button>
        </form>
        {items.length > 0 && (
          <InsetText>
            <p>
              {items.length} record{items.length === 1 ? " is" : "s are"} waiting on this tablet. They are sent when the person who made
              them signs in.
            </p>
          </InsetText>
        )}
      </div>
    </div>
  );
}

export function LockScreen({ me }: { me: Me }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const items = useStore(outbox);
  const waiting = items.filter((i) => i.userId === me.id).length;

  useEffect(() => {
    document.title = "Locked – Peer support log – NHS";
  }, []);

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
      setPassword("");
      setError(
        err instanceof SignInError && err.reason === "offline"
          ? "There is no connection, so the password cannot be checked. Try again when the connection returns."
          : signInMessage(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="app-lock">
      <ErrorSummary errors={error ? [{ id: "unlock-password", text: error }] : []} />
      <h1>This tablet is locked</h1>
      <p>
        {me.display_name} is signed in. Enter your password to carry on where you left off.
        {waiting > 0 && ` ${waiting} record${waiting === 1 ? "" : "s"} saved on this tablet ${waiting === 1 ? "is" : "are"} kept and will be sent.`}
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
          <p class="nhsuk-body nhsuk-u-margin-bottom-0">
            Not {me.display_name}?{" "}
            <button
              type="button"
              class="nhsuk-link app-touch app-link-button"
              onClick={() => {
                go("#/", true);
                void signOut();
              }}
            >
              Switch user
            </button>
          </p>
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
            {waiting === 1 ? "It stays" : "They stay"} on this tablet and will be sent the next time you sign in here. Nobody else who uses this
            tablet can see or send {waiting === 1 ? "it" : "them"}.
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
