"""The first schema: submissions, reports, waivers, events.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("blob", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("pack", sa.String(64)),
        sa.Column("batch", sa.String(64), index=True),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("plan_id", sa.String(255), index=True),
        sa.Column("parent_plan", sa.String(255), index=True),
        sa.Column("version", sa.Integer),
        sa.Column("checked_at", sa.DateTime),
        sa.Column("result", sa.JSON),
        sa.Column("error", sa.Text),
    )
    op.create_table(
        "reports",
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"),
                  primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "waivers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.String(255), nullable=False, index=True),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"),
                  nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"),
                  nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16)),
        sa.Column("remark", sa.Text),
        sa.Column("rule", sa.String(64)),
        sa.Column("entity", sa.String(255)),
    )


def downgrade() -> None:
    for table in ("events", "waivers", "reports", "submissions"):
        op.drop_table(table)
