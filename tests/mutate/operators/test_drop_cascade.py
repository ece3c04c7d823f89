from .conftest import canonical, mutants


def test_on_delete_cascade_becomes_no_action() -> None:
    sql = "create table t (id uuid primary key, owner uuid not null references public.users (id) on delete cascade)"
    assert mutants("drop-cascade", sql) == [
        ("public.t (owner) references public.users: ON DELETE CASCADE removed",
         canonical("create table t (id uuid primary key, owner uuid not null references public.users (id))"))]


def test_table_constraints_and_other_actions() -> None:
    sql = ("alter table t add constraint t_a_fk foreign key (a, b) references u (x, y) on delete cascade, "
           "add constraint t_c_fk foreign key (c) references v (id) on delete set null")
    assert mutants("drop-cascade", sql) == [
        ("public.t (a, b) references public.u: ON DELETE CASCADE removed",
         canonical("alter table t add constraint t_a_fk foreign key (a, b) references u (x, y), "
                   "add constraint t_c_fk foreign key (c) references v (id) on delete set null"))]
