// The admin's console screens, one file each: users (create, role, wards,
// disable, reset password), wards (create, rename, close) and the audit
// log with its filters. Shared lists and loaders: ./shared.
export { UsersScreen } from "./users";
export { NewUserScreen } from "./new-user";
export { UserScreen } from "./user";
export { WardsAdminScreen } from "./wards";
export { WardAdminScreen } from "./ward";
export { AuditScreen } from "./audit";
export { TabletsScreen } from "./tablets";
