// The app's settings from the server (public, read before signing in).
import { api, call } from "../api/client";
import { setIdleSeconds } from "./idle";

export async function loadAppConfig(): Promise<void> {
  try {
    const { data } = await call(api.GET("/api/v1/app-config"));
    setIdleSeconds(data.idle_lock_seconds);
  } catch {
    // offline or older server: the last value seen, else the default
  }
}
