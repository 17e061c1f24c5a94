import Database from 'better-sqlite3';
const db = new Database(':memory:');
db.exec('create table t (a int, b int, c int); create index ti on t(a, b)');
const ins = db.prepare('insert into t values (?,?,?)'); for (let i = 0; i < 1000; i++) ins.run(i % 10, i, i);
for (const q of ['select * from t where a = ? order by b desc limit ?', 'select * from t where a = ? order by b desc limit 1', 'select * from t where a = ? and b <= ?', 'select * from t where a = ? and b <= 5']) {
  const st = db.prepare(q); const args = q.split('?').length - 1 === 2 ? [3, 1] : [3];
  for (let i = 0; i < 5000; i++) st.all(...args);
  const t = process.hrtime.bigint(); for (let i = 0; i < 50000; i++) st.all(...args); console.log((Number(process.hrtime.bigint() - t) / 50000 / 1000).toFixed(2), 'us', q);
}
