from .conftest import canonical, mutants


def test_every_check_of_a_create_table_goes_one_at_a_time() -> None:
    sql = "create table t (a int check (a > 0), b text not null, constraint b_short check (length(b) < 10))"
    assert mutants("drop-check-constraint", sql) == [
        ("public.t: constraint CHECK (a > 0) removed",
         canonical("create table t (a int, b text not null, constraint b_short check (length(b) < 10))")),
        ("public.t: constraint b_short removed", canonical("create table t (a int check (a > 0), b text not null)")),
    ]


def test_alter_table_add_constraint_and_add_column() -> None:
    made = mutants("drop-check-constraint",
                   "alter table t add constraint positive check (a > 0), add column c int check (c < 5)")
    assert made == [
        ("public.t: constraint positive removed", canonical("alter table t add column c int check (c < 5)")),
        ("public.t: constraint CHECK (c < 5) removed",
         canonical("alter table t add constraint positive check (a > 0), add column c int")),
    ]
    assert mutants("drop-check-constraint", "alter table t add constraint positive check (a > 0)") == [
        ("public.t: constraint positive removed", None)]
