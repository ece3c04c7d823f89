from .conftest import canonical, mutants


def test_each_operand_of_each_and_is_dropped_once() -> None:
    sql = "create policy p on t for update using (a = 1 and b = 2) with check (a = 1 and (b = 2 and c = 3))"
    made = mutants("drop-conjunct", sql)
    assert made == [
        ('policy "p" on public.t: USING without `a = 1`',
         canonical("create policy p on t for update using (b = 2) with check (a = 1 and (b = 2 and c = 3))")),
        ('policy "p" on public.t: USING without `b = 2`',
         canonical("create policy p on t for update using (a = 1) with check (a = 1 and (b = 2 and c = 3))")),
        ('policy "p" on public.t: WITH CHECK without `a = 1`',
         canonical("create policy p on t for update using (a = 1 and b = 2) with check (b = 2 and c = 3)")),
        ('policy "p" on public.t: WITH CHECK without `b = 2 AND c = 3`',
         canonical("create policy p on t for update using (a = 1 and b = 2) with check (a = 1)")),
        ('policy "p" on public.t: WITH CHECK without `b = 2`',
         canonical("create policy p on t for update using (a = 1 and b = 2) with check (a = 1 and c = 3)")),
        ('policy "p" on public.t: WITH CHECK without `c = 3`',
         canonical("create policy p on t for update using (a = 1 and b = 2) with check (a = 1 and b = 2)")),
    ]


def test_three_operands_leave_an_and_of_two() -> None:
    made = mutants("drop-conjunct", "create policy p on t using (a and b and c)")
    assert [sql for _, sql in made] == [canonical(f"create policy p on t using ({rest})")
                                        for rest in ("b and c", "a and c", "a and b")]


def test_or_is_not_a_conjunction() -> None:
    assert mutants("drop-conjunct", "create policy p on t using (a or b)") == []
