"""One-row write transactions (a cache hit's counter update) in WAL mode on copies of one store file at 4, 8 and 16 KiB
pages. Run from a directory holding w512/vecd.sqlite (`vecd bench store --chunks 20000 --work w512 --keep`)."""
import sqlite3, time, shutil, sys, os
for ps in (4096, 8192, 16384):
    src = "w512/vecd.sqlite"
    dst = f"hit-{ps}.sqlite"
    for f in (dst, dst + "-wal", dst + "-shm"):
        if os.path.exists(f): os.remove(f)
    c = sqlite3.connect(src); c.execute(f"VACUUM INTO '{dst}'") if ps == 4096 else None; c.close()
    if ps != 4096:
        shutil.copy(f"hit-4096.sqlite", dst)
        c = sqlite3.connect(dst); c.execute("PRAGMA journal_mode=DELETE"); c.execute(f"PRAGMA page_size={ps}"); c.execute("VACUUM"); c.close()
    c = sqlite3.connect(dst, isolation_level=None); c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=NORMAL")
    ids = [r[0] for r in c.execute("SELECT tenant_id, model_id, query_hash FROM response_cache LIMIT 200")]
    rows = list(c.execute("SELECT tenant_id, model_id, query_hash FROM response_cache LIMIT 200"))
    times = []
    for rep in range(5):
        for t, m, h in rows:
            s = time.perf_counter()
            c.execute("BEGIN IMMEDIATE")
            c.execute("SELECT response FROM response_cache WHERE tenant_id=? AND model_id=? AND query_hash=?", (t, m, h)).fetchone()
            c.execute("UPDATE response_cache SET hit_count=hit_count+1, last_accessed_at=? WHERE tenant_id=? AND model_id=? AND query_hash=?", (int(time.time()*1000), t, m, h))
            c.execute("COMMIT")
            times.append(time.perf_counter() - s)
    times.sort()
    print(ps, c.execute("PRAGMA page_size").fetchone(), "p50 %.3f ms p99 %.3f ms" % (times[len(times)//2]*1e3, times[int(len(times)*.99)]*1e3))
