from .conftest import canonical, mutants


def test_the_with_check_is_removed() -> None:
    assert mutants("drop-with-check", "create policy p on t for update using (a) with check (b)") == [
        ('policy "p" on public.t: WITH CHECK removed', canonical("create policy p on t for update using (a)"))]


def test_a_policy_without_with_check_has_no_mutant() -> None:
    assert mutants("drop-with-check", "create policy p on t for select using (a)") == []
