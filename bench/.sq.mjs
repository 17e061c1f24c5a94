import Database from 'better-sqlite3';
import fs from 'node:fs';
for (const mode of ['NORMAL', 'EXCLUSIVE']) {
  fs.rmSync('/tmp/sqt', { recursive: true, force: true }); fs.mkdirSync('/tmp/sqt');
  const db = new Database('/tmp/sqt/a.db');
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('locking_mode = ' + mode);
  db.exec('create table jobs (job_id text primary key, status text, doc text, a int, b int, c int)');
  db.prepare('insert into jobs values (?,?,?,?,?,?)').run('bench-job', 'IN_PROGRESS', '{"op":"fw"}', 1, 2, 3);
  const sel = db.prepare('select * from jobs where job_id = ?'); const b = db.prepare('begin'); const c = db.prepare('commit');
  const upd = db.prepare('update jobs set a = a + 1 where job_id = ?');
  for (let round = 0; round < 2; round++) {
    let t = process.hrtime.bigint(); for (let i = 0; i < 100000; i++) sel.all(['bench-job']);
    const plain = Number(process.hrtime.bigint() - t) / 100000;
    t = process.hrtime.bigint(); for (let i = 0; i < 100000; i++) { b.run(); sel.all(['bench-job']); c.run(); }
    const tx = Number(process.hrtime.bigint() - t) / 100000;
    t = process.hrtime.bigint(); for (let i = 0; i < 50000; i++) { b.run(); upd.run(['bench-job']); c.run(); }
    const w = Number(process.hrtime.bigint() - t) / 50000;
    console.log(mode, 'select ns', plain.toFixed(0), 'tx select ns', tx.toFixed(0), 'write tx ns', w.toFixed(0));
  }
  db.close();
}
