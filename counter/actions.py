"""The official's actions as QActions: a label, a function key, enabled when it applies.

One ``CounterActions`` serves both the full window and the compact strip, so a key
does the same thing in either. The keys are window shortcuts, attached to both
forms: they work wherever the focus is inside the program's active window, whatever
widget holds it (the window, not one button). The
actions that need a dialog (transfer, a specific call, the set-aside list, shrink or
expand) only emit their ``triggered`` signal; the shell opens the dialog.

Whether an action applies is the controller's rule (``can``); this module only
reflects it. Imports QtGui/QtCore.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from counter import wording
from counter.controller import CounterController
from counter.queue_state import Action

log = logging.getLogger(__name__)

# Carried out at once, without a dialog.
DIRECT = {
    Action.CALL_NEXT: CounterController.call_next,
    Action.RECALL: CounterController.recall,
    Action.DONE: CounterController.done,
    Action.ABSENT: CounterController.absent,
    Action.PARK: CounterController.park,
    Action.PAUSE: CounterController.toggle_pause,
}


class CounterActions(QObject):
    def __init__(self, controller: CounterController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.by_action: dict[Action, QAction] = {}
        for action, key in wording.KEYS.items():
            qaction = QAction(wording.label(action), self)
            qaction.setShortcut(QKeySequence(key))
            qaction.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            qaction.setToolTip(wording.with_key(wording.label(action), key))
            if action in DIRECT:
                method = DIRECT[action]
                qaction.triggered.connect(lambda _=False, m=method: m(controller))
            self.by_action[action] = qaction
        self.resize = QAction(wording.word("shrink"), self)
        self.resize.setShortcut(QKeySequence(wording.COMPACT_KEY))
        self.resize.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        controller.changed.connect(self.update)
        self.update()

    def __getitem__(self, action: Action) -> QAction:
        return self.by_action[action]

    def all(self) -> list[QAction]:
        return [*self.by_action.values(), self.resize]

    def attach(self, widget: QWidget) -> None:
        """Make the keys work while ``widget`` (a window of the program) is shown."""
        widget.addActions(self.all())

    def update(self) -> None:
        controller = self.controller
        for action, qaction in self.by_action.items():
            qaction.setEnabled(controller.can(action))
        pause = self.by_action[Action.PAUSE]
        label = wording.word("resume") if controller.paused else wording.label(Action.PAUSE)
        if pause.text() != label:
            pause.setText(label)
            pause.setToolTip(wording.with_key(label, wording.KEYS[Action.PAUSE]))
        count = len(controller.set_aside())
        listing = wording.label(Action.SET_ASIDE) + (f" ({count})" if count else "")
        if self.by_action[Action.SET_ASIDE].text() != listing:
            self.by_action[Action.SET_ASIDE].setText(listing)
