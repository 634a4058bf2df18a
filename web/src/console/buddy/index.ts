// The Buddy Scheme's console screens, one file each: the coordinator's
// board of pairings by status, a new pairing, a pairing's meeting series,
// cohorts / students / buddies and the cohort report; a student's or
// buddy's own pairing and calendar. Shared loaders and labels: ./shared.
export { BoardScreen } from "./board";
export { NewPairingScreen } from "./new-pairing";
export { PairingScreen } from "./pairing";
export { PeopleScreen } from "./people";
export { CohortReportScreen } from "./cohort-report";
export { MyBuddyScreen } from "./my-buddy";
