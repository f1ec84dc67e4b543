-- raw.withdrawn_loads: the loads a rollback took back (etl/rollback.py). Their rows stay in raw
-- (append-only: nothing is deleted), but no later snapshot counts them: staging reads raw
-- through the `live` macro, which leaves them out. Rolling forward again reinstates them.
create table if not exists raw.withdrawn_loads (
    load_id       varchar primary key,
    withdrawn_at  timestamp not null,
    withdrawn_by  varchar not null,   -- the user, or cli:<os user>
    to_snapshot   varchar not null    -- the snapshot the rollback made current
);
