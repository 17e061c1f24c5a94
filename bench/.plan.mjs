import Database from 'better-sqlite3';
const db = new Database(process.argv[2] + '/iot-jobs.sqlite', { readonly: true });
const q = `select "e".*, "j"."namespace_id", "j"."document" from "job_executions" as "e" inner join "jobs" as "j" on "j"."job_id" = "e"."job_id" where "e"."job_id" = ? and "e"."thing_name" = ? order by "e"."execution_number" desc limit ?`;
console.log(db.prepare('explain query plan ' + q).all('bench-1', 'fleet-00000001', 1));
const q2 = q.replace('limit ?', 'limit 1');
console.log(db.prepare('explain query plan ' + q2).all('bench-1', 'fleet-00000001'));
for (const [name, sqlq, args] of [['bound', q, ['bench-1', 'fleet-00000001', 1]], ['literal', q2, ['bench-1', 'fleet-00000001']], ['bigint', q, ['bench-1', 'fleet-00000001', 1n]], ['bound2', q, ['bench-1', 'fleet-00000001', 1]]]) {
  const st = db.prepare(sqlq); const t = process.hrtime.bigint(); for (let i = 0; i < 20000; i++) st.all(...args); console.log(name, Number(process.hrtime.bigint() - t) / 20000 / 1000, 'us');
}
// (*) c from job_executions').get(), db.prepare('select * from sqlite_stat1').all?.call ? 'stat?' : '');
