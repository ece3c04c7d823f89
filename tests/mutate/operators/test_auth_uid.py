from .conftest import canonical, mutants


def test_a_policy_comparison_becomes_a_tautology_then_a_null_test() -> None:
    made = mutants("auth-uid", "create policy p on t to authenticated using (owner_id = (select auth.uid()))")
    assert made == [
        ("`owner_id = (SELECT auth.uid())` → `owner_id = owner_id`",
         canonical("create policy p on t to authenticated using (owner_id = owner_id)")),
        ("`owner_id = (SELECT auth.uid())` → `(SELECT auth.uid()) IS NOT NULL`",
         canonical("create policy p on t to authenticated using ((select auth.uid()) is not null)")),
    ]


def test_a_bare_call_on_the_left_inside_a_query() -> None:
    made = mutants("auth-uid", "select u.org from public.users as u where auth.uid() = u.id and u.active")
    assert [sql for _, sql in made] == [
        canonical("select u.org from public.users as u where u.id = u.id and u.active"),
        canonical("select u.org from public.users as u where auth.uid() is not null and u.active"),
    ]


def test_auth_uid_outside_a_comparison_is_left_alone() -> None:
    assert mutants("auth-uid", "select jsonb_build_object('by', auth.uid())") == []
    assert mutants("auth-uid", "create policy p on t using (auth.uid() = auth.uid())") == []
