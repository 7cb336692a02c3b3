-- The numbers without JIT. At bench scale 1 (a manager's team of a
-- 100,000-contact workspace with 30,000 deals) GET /api/stats took 477 ms
-- p50 against 20 ms at scale 0.2, five times the data: the planner's cost
-- estimates for the team's contacts, interactions and deals pass
-- jit_above_cost, and PostgreSQL then compiles the statements' expressions
-- with LLVM on every call, which costs far more than running them (the deal
-- numbers' own raw SQL takes 1.4 ms). These functions answer a person
-- waiting in Slack; none runs long enough for compiled expressions to pay
-- back, so JIT is off inside them (settings of one function call only; the
-- server's default stays). The digest is composed by the same kind of
-- statements over the same team, so it goes without JIT too.
alter function api.stats(jsonb, jsonb) set jit = off;
alter function api.digest_compose(jsonb, jsonb) set jit = off;
