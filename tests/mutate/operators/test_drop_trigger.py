from .conftest import mutants


def test_a_create_trigger_is_removed() -> None:
    sql = "create or replace trigger stamp before update on public.t for each row execute function public.stamp()"
    assert mutants("drop-trigger", sql) == [("trigger stamp on public.t removed", None)]
