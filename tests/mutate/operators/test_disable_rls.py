from .conftest import canonical, mutants


def test_the_only_command_takes_the_statement_with_it() -> None:
    assert mutants("disable-rls", "alter table public.t enable row level security") == [
        ("public.t: ENABLE ROW LEVEL SECURITY removed", None)]


def test_other_commands_of_the_alter_table_stay() -> None:
    made = mutants("disable-rls", "alter table t enable row level security, force row level security")
    assert made == [("public.t: ENABLE ROW LEVEL SECURITY removed", canonical("alter table t force row level security"))]


def test_disable_and_force_alone_have_no_mutant() -> None:
    assert mutants("disable-rls", "alter table t force row level security") == []
