from .conftest import canonical, mutants


def test_using_and_with_check_each_become_true() -> None:
    sql = "create policy p on t for update to authenticated using (owner = auth.uid()) with check (owner = auth.uid())"
    assert mutants("policy-true", sql) == [
        ('policy "p" on public.t: USING → true',
         canonical("create policy p on t for update to authenticated using (true) with check (owner = auth.uid())")),
        ('policy "p" on public.t: WITH CHECK → true',
         canonical("create policy p on t for update to authenticated using (owner = auth.uid()) with check (true)")),
    ]


def test_an_insert_policy_has_only_a_with_check() -> None:
    made = mutants("policy-true", "create policy p on t for insert with check (a > 0)")
    assert made == [('policy "p" on public.t: WITH CHECK → true', canonical("create policy p on t for insert with check (true)"))]


def test_alter_policy_too() -> None:
    assert mutants("policy-true", "alter policy p on t using (a)") == [
        ('policy "p" on public.t: USING → true', canonical("alter policy p on t using (true)"))]
