from .conftest import canonical, mutants


def test_a_restrictive_policy_becomes_permissive() -> None:
    assert mutants("restrictive-to-permissive", "create policy p on t as restrictive for select using (a)") == [
        ('policy "p" on public.t: AS RESTRICTIVE → AS PERMISSIVE',
         canonical("create policy p on t as permissive for select using (a)"))]


def test_a_permissive_policy_has_no_mutant() -> None:
    assert mutants("restrictive-to-permissive", "create policy p on t for select using (a)") == []
