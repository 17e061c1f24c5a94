import { sql } from 'kysely';
/** A group and all groups below it. */
export async function groupWithDescendants(db, groupName) {
    const { rows } = await sql `
    with recursive d(name) as (
      select cast(${groupName} as varchar(128))
      union
      select g.group_name from thing_groups g join d on g.parent_group_name = d.name
    ) select name from d`.execute(db);
    return rows.map((r) => r.name);
}
/** A group and all groups above it. */
export async function groupWithAncestors(db, groupName) {
    const { rows } = await sql `
    with recursive a(name) as (
      select cast(${groupName} as varchar(128))
      union
      select g.parent_group_name from thing_groups g join a on g.group_name = a.name where g.parent_group_name is not null
    ) select name from a`.execute(db);
    return rows.map((r) => r.name);
}
//# sourceMappingURL=groups.js.map