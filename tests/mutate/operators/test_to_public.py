from .conftest import canonical, mutants


def test_to_authenticated_becomes_to_public() -> None:
    assert mutants("to-public", "create policy p on t to authenticated, service_role using (a)") == [
        ('policy "p" on public.t: TO authenticated → TO PUBLIC', canonical("create policy p on t to public using (a)"))]


def test_policies_for_other_roles_are_left_alone() -> None:
    assert mutants("to-public", "create policy p on t to service_role using (a)") == []
    assert mutants("to-public", "create policy p on t using (a)") == []
