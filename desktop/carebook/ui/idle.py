"""Locks the vault after a period without keyboard or mouse input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod,
})


class IdleWatcher(QObject):
    """Emits sig_idle once after `timeout_ms` without input, while armed."""

    sig_idle = Signal()
    """Nobody touched the keyboard or mouse for the whole timeout."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.sig_idle)
        QApplication.instance().installEventFilter(self)

    def arm(self, timeout_ms: int) -> None:
        """Start watching with this timeout (restarts the count)."""
        self._timer.setInterval(timeout_ms)
        self._timer.start()

    def disarm(self) -> None:
        """Stop watching (while locked, or when auto-lock is off)."""
        self._timer.stop()

    @property
    def armed(self) -> bool:
        """True while counting down."""
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._timer.isActive() and event.type() in _ACTIVITY:
            self._timer.start()
        return False
