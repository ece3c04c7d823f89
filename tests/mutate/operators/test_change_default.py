from .conftest import canonical, mutants


def test_defaults_of_a_create_table() -> None:
    sql = ("create table t (id uuid default gen_random_uuid(), done boolean not null default false, "
           "role text not null default 'member' check (role in ('member', 'admin')), "
           "status text default 'new', note text default null)")
    made = mutants("change-default", sql)
    assert [d for d, _ in made] == [
        "public.t.id: DEFAULT gen_random_uuid() → NULL",
        "public.t.done: DEFAULT FALSE → TRUE",
        "public.t.role: DEFAULT 'member' → 'admin'",
        "public.t.status: DEFAULT 'new' → NULL",
    ]
    assert made[2][1] == canonical(
        "create table t (id uuid default gen_random_uuid(), done boolean not null default false, "
        "role text not null default 'admin' check (role in ('member', 'admin')), "
        "status text default 'new', note text default null)")


def test_alter_column_set_default_and_add_column() -> None:
    assert mutants("change-default", "alter table t alter column flag set default true") == [
        ("public.t.flag: DEFAULT TRUE → FALSE", canonical("alter table t alter column flag set default false"))]
    assert mutants("change-default", "alter table t add column n int default 0") == [
        ("public.t.n: DEFAULT 0 → NULL", canonical("alter table t add column n int default null"))]
    assert mutants("change-default", "alter table t alter column flag drop default") == []
