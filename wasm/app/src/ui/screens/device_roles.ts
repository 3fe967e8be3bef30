// The kinds of enrollment code the 设备 screen offers, in one place (a shared station
// tablet is enrolled for one station and names no person: the server labels it). Which role may make which code is the server's decision
// (scope.rs); a coordinator's screen offers only the roles it may give.

/** Role value, and whether a coordinator (not only the office) may give it. */
export const CODE_ROLES: { role: string; coordinator: boolean }[] = [
  { role: "volunteer", coordinator: true },
  { role: "partner", coordinator: true },
  { role: "station_tablet", coordinator: true },
  { role: "coordinator", coordinator: false },
  { role: "office", coordinator: false },
];

/** The roles the device's own role may give. */
export function rolesFor(myRole: string): string[] {
  return CODE_ROLES.filter((r) => myRole !== "coordinator" || r.coordinator).map((r) => r.role);
}

/** A shared station tablet names no person: the code is for one station. */
export function namesPerson(role: string): boolean {
  return role !== "station_tablet";
}
