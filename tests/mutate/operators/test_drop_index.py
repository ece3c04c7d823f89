from .conftest import mutants


def test_a_create_index_is_removed() -> None:
    assert mutants("drop-index", "create index if not exists t_a_idx on public.t (a)") == [
        ("index t_a_idx on public.t removed", None)]
    assert mutants("drop-index", "create unique index t_b_key on t (b) where b is not null") == [
        ("unique index t_b_key on public.t removed", None)]
