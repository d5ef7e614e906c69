"""The rules plancheck itself checks, beside a pack's: findings about the waivers of a run.
They are selected, reported and documented like a pack's rules."""

from __future__ import annotations

from typing import Any

EXPIRED, UNUSED = "WAIVER-EXPIRED", "WAIVER-UNUSED"
META_RULES: dict[str, dict[str, Any]] = {
    EXPIRED: {
        "id": EXPIRED, "severity": "warning", "source": "plancheck waivers", "tags": ["waiver"],
        "entity": "waiver",
        "title": {"vi": "Miễn trừ đã hết hạn", "en": "Waiver has expired"},
        "rationale": {"vi": "Miễn trừ hết hạn không còn miễn trừ gì; hãy sửa kế hoạch hoặc "
                            "gia hạn miễn trừ với lý do mới.",
                      "en": "An expired waiver waives nothing: fix the plan, or renew the "
                            "waiver with a fresh reason and approval."},
    },
    UNUSED: {
        "id": UNUSED, "severity": "warning", "source": "plancheck waivers", "tags": ["waiver"],
        "entity": "waiver",
        "title": {"vi": "Miễn trừ không khớp phát hiện nào",
                  "en": "Waiver matches no finding"},
        "rationale": {"vi": "Miễn trừ không còn dùng đến nên được xoá để không che lấp "
                            "phát hiện sau này.",
                      "en": "A waiver that no longer matches anything should be removed so "
                            "that it cannot hide a later finding."},
    },
}
