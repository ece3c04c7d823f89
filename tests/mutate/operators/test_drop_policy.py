from .conftest import mutants


def test_a_create_policy_is_removed() -> None:
    assert mutants("drop-policy", "create policy p on public.t for select using (true)") == [
        ('policy "p" on public.t removed', None)]


def test_other_statements_are_left_alone() -> None:
    assert mutants("drop-policy", "drop policy if exists p on public.t") == []
    assert mutants("drop-policy", "alter policy p on public.t using (false)") == []
