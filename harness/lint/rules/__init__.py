"""The lint rules, one per module. `RULES` is the registry, in documentation order."""

from __future__ import annotations

from harness.lint.rules.always_true_write_policy import AlwaysTrueWritePolicy
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.rules.body_not_analysed import BodyNotAnalysed
from harness.lint.rules.breaking_drop import BreakingDrop
from harness.lint.rules.breaking_rename import BreakingRename
from harness.lint.rules.column_type_change import ColumnTypeChange
from harness.lint.rules.concurrently_in_migration import ConcurrentlyInMigration
from harness.lint.rules.constraint_without_not_valid import ConstraintWithoutNotValid
from harness.lint.rules.dynamic_sql import DynamicSql
from harness.lint.rules.filename import Filename
from harness.lint.rules.foreign_key_without_on_delete import ForeignKeyWithoutOnDelete
from harness.lint.rules.foreign_policy import ForeignPolicy
from harness.lint.rules.grant_to_anon import GrantToAnon
from harness.lint.rules.identifier_too_long import IdentifierTooLong
from harness.lint.rules.index_build_lock import IndexBuildLock
from harness.lint.rules.integer_primary_key import IntegerPrimaryKey
from harness.lint.rules.not_idempotent import NotIdempotent
from harness.lint.rules.not_null_without_default import NotNullWithoutDefault
from harness.lint.rules.null_auth_disjunct import NullAuthDisjunct
from harness.lint.rules.parse_error import ParseErrorRule
from harness.lint.rules.policy_without_role import PolicyWithoutRole
from harness.lint.rules.rls_after_data import RlsAfterData
from harness.lint.rules.rls_disabled_later import RlsDisabledLater
from harness.lint.rules.rls_missing import RlsMissing
from harness.lint.rules.scalar_membership_subquery import ScalarMembershipSubquery
from harness.lint.rules.security_definer_search_path import SecurityDefinerSearchPath
from harness.lint.rules.service_role_policy import ServiceRolePolicy
from harness.lint.rules.suppression_without_reason import SuppressionWithoutReason
from harness.lint.rules.table_without_comment import TableWithoutComment
from harness.lint.rules.transaction_control import TransactionControl
from harness.lint.rules.unindexed_foreign_key import UnindexedForeignKey
from harness.lint.rules.unknown_suppression import UnknownSuppression
from harness.lint.rules.unwrapped_auth_call import UnwrappedAuthCall
from harness.lint.rules.user_metadata_policy import UserMetadataPolicy
from harness.lint.rules.view_without_security_invoker import ViewWithoutSecurityInvoker

RULES: tuple[type[Rule], ...] = (
    # fixed by the harness contract (README: Rule reference)
    ForeignPolicy,
    NotIdempotent,
    RlsMissing,
    RlsAfterData,
    ParseErrorRule,
    Filename,
    UserMetadataPolicy,
    # leaks
    AlwaysTrueWritePolicy,
    NullAuthDisjunct,
    ViewWithoutSecurityInvoker,
    RlsDisabledLater,
    # breaking changes and lock hazards on tables that existed before the change set
    BreakingDrop,
    BreakingRename,
    ColumnTypeChange,
    NotNullWithoutDefault,
    ConstraintWithoutNotValid,
    IndexBuildLock,
    ConcurrentlyInMigration,
    TransactionControl,
    # hygiene
    PolicyWithoutRole,
    SecurityDefinerSearchPath,
    ScalarMembershipSubquery,
    UnwrappedAuthCall,
    GrantToAnon,
    UnindexedForeignKey,
    ForeignKeyWithoutOnDelete,
    ServiceRolePolicy,
    IntegerPrimaryKey,
    TableWithoutComment,
    IdentifierTooLong,
    DynamicSql,
    BodyNotAnalysed,
    SuppressionWithoutReason,
    UnknownSuppression,
)

RULES_BY_ID: dict[str, type[Rule]] = {rule.id: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_ID", "Hit", "LintContext", "Rule"]
