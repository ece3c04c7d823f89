from .conftest import canonical, mutants


def test_for_select_becomes_for_all() -> None:
    assert mutants("select-to-all", "create policy p on t for select to authenticated using (a)") == [
        ('policy "p" on public.t: FOR SELECT → FOR ALL', canonical("create policy p on t for all to authenticated using (a)"))]


def test_other_commands_are_left_alone() -> None:
    assert mutants("select-to-all", "create policy p on t for update using (a)") == []
    assert mutants("select-to-all", "create policy p on t using (a)") == []
