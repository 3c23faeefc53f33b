"""A number for a citizen standing at the counter (issue 15, part 4): which service,
priority or not (with why), then the number shown large enough for the citizen to read
across the desk, and printed on the counter's own printer when it has one.

Opened window-modal like the other dialogs; Enter confirms, Esc closes. Type the first
letters of a service to find it. Imports QtWidgets.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import style, wording
from counter.controller import CounterController
from counter.style import named
from shared.core import wire

log = logging.getLogger(__name__)

ROLE = Qt.ItemDataRole.UserRole
NO_PRIORITY = "Không ưu tiên"


class IssueDialog(QDialog):
    """Which number to give: a service, and a priority category with its reason."""

    chosen = Signal(str, object, str)  # service code, priority code or None, reason

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cấp số cho công dân tại quầy")
        self.setMinimumSize(640, 520)
        heading = named(QLabel("Cấp số cho công dân tại quầy"), "title")
        hint = named(QLabel("Cho người không dùng được máy lấy số (người cao tuổi, người "
                            "khuyết tật, hoặc không có máy gần đây). Số được xếp hàng như số "
                            "lấy ở máy, và nhật ký ghi quầy đã cấp."), "muted")
        hint.setWordWrap(True)
        self.services = QListWidget()
        mine = list(controller.me.services)  # first, in this counter's own order

        def place(code: str) -> tuple[int, str]:
            return (mine.index(code) if code in mine else len(mine), code)

        for service in sorted(controller.services, key=lambda s: place(s.code)):
            item = QListWidgetItem(f"{service.code}   {service.name}   ·  {service.waiting} chờ")
            item.setData(ROLE, service.code)
            self.services.addItem(item)
        self.services.itemDoubleClicked.connect(lambda _item: self.accept())
        self.priority = QComboBox()
        self.priority.addItem(NO_PRIORITY, None)
        for code, name in controller.priority_names.items():
            self.priority.addItem(f"Ưu tiên: {name}", code)
        self.priority.setFont(style.app_font(12))
        self.priority.setMinimumHeight(36)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText("Ví dụ: cụ đi xe lăn, không tới được máy lấy số")
        self.reason.setMinimumHeight(34)
        box = QDialogButtonBox()
        self.ok = box.addButton("Cấp số (Enter)", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("Huỷ (Esc)", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(named(QLabel("DỊCH VỤ"), "caption"))
        layout.addWidget(self.services, 1)
        layout.addWidget(named(QLabel("ƯU TIÊN"), "caption"))
        layout.addWidget(self.priority)
        layout.addWidget(named(QLabel("LÝ DO (KHÔNG BẮT BUỘC, GHI VÀO NHẬT KÝ)"), "caption"))
        layout.addWidget(self.reason)
        layout.addWidget(box)
        self.services.itemSelectionChanged.connect(self._check)
        if self.services.count():
            self.services.setCurrentRow(0)  # this counter's own services come first
        self.services.setFocus()
        self._check()

    def choice(self) -> tuple[str, str | None, str] | None:
        selected = self.services.selectedItems()
        if not selected:
            return None
        priority = self.priority.currentData()
        return (str(selected[0].data(ROLE)), None if priority is None else str(priority),
                self.reason.text().strip())

    def accept(self) -> None:
        choice = self.choice()
        if choice is None:
            return
        super().accept()
        self.chosen.emit(*choice)

    def _check(self) -> None:
        self.ok.setEnabled(self.choice() is not None)


class IssuedDialog(QDialog):
    """The number just given, large, to turn towards the citizen; whether it printed."""

    def __init__(self, ticket: wire.Ticket, priority_name: str | None, *, printing: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Số {ticket.number}")
        self.setMinimumWidth(560)
        self.number = QLabel(ticket.number)
        self.number.setFont(style.big_font(72))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setObjectName("issuedNumber")
        service = named(QLabel(ticket.service_name), "title")
        service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lines = [f"Ưu tiên: {priority_name}"] if priority_name else []
        lines.append(wording.ahead_words(ticket.ahead))
        lines.append("Mời công dân giữ số này và chờ được gọi.")
        details = named(QLabel("\n".join(lines)), "muted")
        details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        details.setFont(style.app_font(14))
        self.print_state = named(QLabel("Đang in vé ở máy in của quầy…" if printing else
                                        "Quầy không có máy in: đọc số cho công dân, hoặc để "
                                        "công dân chụp màn hình này."), "muted")
        self.print_state.setWordWrap(True)
        self.print_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QDialogButtonBox()
        close = box.addButton("Xong (Enter)", QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        box.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(named(QLabel("SỐ THỨ TỰ CỦA CÔNG DÂN"), "caption"),
                         alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.number)
        layout.addWidget(service)
        layout.addWidget(details)
        layout.addWidget(self.print_state)
        layout.addWidget(box)

    def printed(self, ok: bool, problem: str = "") -> None:
        self.print_state.setText("Đã in vé: mời công dân nhận vé." if ok else
                                 f"Chưa in được vé ({problem}). Đọc số cho công dân, hoặc "
                                 "để công dân chụp màn hình này.")
