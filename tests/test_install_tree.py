"""The private PostgreSQL installation: its own share folder, trusted privileged extensions, both majors."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.engine.binaries import find_binaries
from harness.engine.install_tree import harness_extension_files, install_tree, privileged_extensions
from harness.engine.local import LocalEngine
from harness.engine.server import PLATFORM_DB
from harness.findings import HarnessError

@pytest.mark.every_major
def test_the_tree_uses_its_own_share_folder_with_trusted_controls(tmp_path: Path) -> None:
    source = find_binaries()
    tree = install_tree(source, tmp_path / "installs")
    assert tree.major == source.major and tree.bindir != source.bindir
    assert tree.sharedir is not None and tree.sharedir.is_relative_to(tmp_path)
    extension = tree.sharedir / "extension"
    assert "trusted = true" in (extension / "pgcrypto.control").read_text()
    assert "trusted = true" not in (extension / "plpgsql.control").read_text() or "plpgsql" in privileged_extensions()
    assert (extension / "pgtap.control").is_file(), "pgTAP's SQL is in every major's private share folder"
    for name, data in harness_extension_files():
        if name.endswith(".control") and name.removesuffix(".control") in privileged_extensions():
            assert (extension / name).read_text().endswith("trusted = true\n")
        else:
            assert (extension / name).read_bytes() == data
    # Built once: a second call finds it.
    assert install_tree(source, tmp_path / "installs") == tree


def test_both_majors_boot_from_the_private_share_folder() -> None:
    """pgTAP is available (not created) and privileged extensions are trusted, on 15 and on 17."""
    for major in (15, 17):
        with LocalEngine(major=major) as server:
            with server.connect(PLATFORM_DB) as conn:
                version = conn.execute("show server_version_num").fetchone()[0]
                assert int(version) // 10000 == major
                trusted = dict(conn.execute(
                    "select name, bool_and(trusted) from pg_available_extension_versions"
                    " where name in ('pgtap', 'pgcrypto', 'citext') group by name"
                ).fetchall())
                assert trusted == {"pgtap": True, "pgcrypto": True, "citext": True}


def test_a_missing_major_names_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="PostgreSQL 16"):
        find_binaries(None, 16)
