// Whether the tablet has a network, as the browser sees it.
import { store } from "./store";

export const online = store<boolean>(typeof navigator === "undefined" ? true : navigator.onLine);

window.addEventListener("online", () => online.set(true));
window.addEventListener("offline", () => online.set(false));
