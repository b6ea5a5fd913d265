import { describe, expect, it } from "vitest";
import type { User } from "../bindings/User";
import { EMPTY_FIELDS, fieldsOf, patchOf, sameFields, splitTags, toNewUser } from "./userFields";

const ADA: User = {
  id: 7,
  username: "ada",
  email: "ada@example.org",
  first_name: "Ada",
  last_name: "Lovelace",
  phone: "+44 20 7946 0000",
  organization: "Analytical Engines",
  organization_id: 1,
  team: null,
  tags: ["math", "poetry"],
  role: "admin",
  identity_provider: "local",
  status: "active",
  profile: { department: "Engines", end_date: "2027-03-31" },
  manager: { id: 2, name: "Charles Babbage", email: "charles@example.org" },
  attributes: { shirt_size: "M", badge: "12" },
  two_factor: "active",
  group_count: 0,
  device_count: 0,
  created_at: "2026-01-01T00:00:00Z",
  modified_at: "2026-01-01T00:00:00Z",
  last_sign_in_at: null,
  password_changed_at: null,
  created_by: "tester",
  version: 3,
};

describe("the user form's fields", () => {
  it("read a stored user, empty where the user has nothing", () => {
    const fields = fieldsOf(ADA);
    expect(fields.team).toBe("");
    expect(fields.tags).toBe("math, poetry");
    expect(sameFields(fields, fieldsOf({ ...ADA }))).toBe(true);
    expect(sameFields(fields, { ...fields, phone: "" })).toBe(false);
  });

  it("patch only what changed", () => {
    const patch = patchOf(ADA, { ...fieldsOf(ADA), last_name: "King" });
    expect(patch).toEqual({
      first_name: null,
      last_name: "King",
      email: null,
      username: null,
      phone: null,
      role: null,
      organization: null,
      team: null,
      tags: null,
      identity_provider: null,
      profile: {},
      manager: null,
      attributes: {},
    });
  });

  it("patch only the attributes that changed, an emptied one as a blank", () => {
    const fields = fieldsOf(ADA);
    expect(fields.attributes).toEqual({ shirt_size: "M", badge: "12" });
    const next = { ...fields, attributes: { ...fields.attributes, shirt_size: "L", badge: "", parking: "yes" } };
    expect(sameFields(fields, next)).toBe(false);
    expect(sameFields(fields, { ...fields, attributes: { ...fields.attributes, parking: "" } })).toBe(true);
    expect(patchOf(ADA, next).attributes).toEqual({ shirt_size: "L", badge: "", parking: "yes" });
  });

  it("read profile fields and the manager, and patch only the changed ones", () => {
    const fields = fieldsOf(ADA);
    expect(fields.department).toBe("Engines");
    expect(fields.job_title).toBe("");
    expect(fields.manager).toBe("charles@example.org");
    const patch = patchOf(ADA, { ...fields, job_title: "Analyst", end_date: "", manager: "" });
    expect(patch.profile).toEqual({ job_title: "Analyst", end_date: "" });
    expect(patch.manager).toBe("");
  });

  it("clear an optional field emptied in the form", () => {
    const patch = patchOf(ADA, { ...fieldsOf(ADA), phone: "", organization: "" });
    expect(patch.phone).toBe("");
    expect(patch.organization).toBe("");
  });

  it("send tags as a list, and only when they changed", () => {
    expect(patchOf(ADA, { ...fieldsOf(ADA), tags: "math,  poetry" }).tags).toEqual(["math", "poetry"]);
    expect(patchOf(ADA, { ...fieldsOf(ADA), tags: "" }).tags).toEqual([]);
    expect(splitTags(" a, ,b ,, c ")).toEqual(["a", "b", "c"]);
  });

  it("make a new user with blank optional fields unset", () => {
    const user = toNewUser(
      { ...EMPTY_FIELDS, first_name: "Grace", last_name: "Hopper", email: "grace@example.org", team: "  ", tags: "navy", department: "Navy", office: " ", attributes: { shirt_size: "S", badge: " " } },
      "staged",
    );
    expect(user).toEqual({
      email: "grace@example.org",
      first_name: "Grace",
      last_name: "Hopper",
      username: null,
      phone: null,
      role: "user",
      status: "staged",
      organization: null,
      team: null,
      tags: ["navy"],
      identity_provider: null,
      profile: { department: "Navy" },
      manager: null,
      attributes: { shirt_size: "S" },
    });
  });
});
