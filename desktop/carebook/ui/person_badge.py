"""A person's badge: their initials in white on a disc of their colour, drawn at any size.

The colour and the letters come from the domain (domain.people), so the switcher, the menu,
the Overview and any printout agree on who is who.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from carebook.domain.people import PERSON_COLOURS, initials, person_colour
from carebook.domain.records import Profile

# Sizes a QIcon keeps ready, in device pixels: menus, combo boxes and toolbars at 1x and 2x.
ICON_SIZES = (16, 20, 24, 32, 40, 48, 64, 96)


def badge_colour(profile: Profile, position: int) -> str:
    """The person's colour as #rrggbb (their choice, else one by their place in the list)."""
    return person_colour(profile.colour, position)


def badge_pixmap(letters: str, colour: str, size: int, ratio: float = 1.0) -> QPixmap:
    """A round badge `size` logical pixels wide, sharp on a screen with this pixel ratio."""
    pixels = max(1, round(size * ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(0, 0, pixels, pixels))
    font = QFont(QGuiApplication.font())
    font.setBold(True)
    # Two letters need a smaller type than one to keep clear of the rim.
    font.setPixelSize(max(6, round(pixels * (0.40 if len(letters) > 1 else 0.50))))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, pixels, pixels), Qt.AlignmentFlag.AlignCenter, letters)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def person_pixmap(profile: Profile, position: int, size: int,
                  widget: QWidget | None = None) -> QPixmap:
    """The person's badge for a label, at the pixel ratio of the screen `widget` is on."""
    ratio = widget.devicePixelRatioF() if widget is not None else _screen_ratio()
    return badge_pixmap(initials(profile.name), badge_colour(profile, position), size, ratio)


def person_icon(profile: Profile, position: int) -> QIcon:
    """The person's badge as an icon for menus and the switcher, sharp at every size."""
    return badge_icon(initials(profile.name), badge_colour(profile, position))


def badge_icon(letters: str, colour: str) -> QIcon:
    """A badge icon holding a pixmap for each common size (Qt picks one by size and ratio)."""
    result = QIcon()
    for size in ICON_SIZES:
        result.addPixmap(badge_pixmap(letters, colour, size))
    return result


def set_badge(target: QLabel, profile: Profile | None, position: int, size: int) -> None:
    """Show the person's badge in `target` (nothing when there is no one), with their name
    as the tooltip for people who cannot tell the colours apart."""
    if profile is None:
        target.clear()
        target.setToolTip("")
        target.setAccessibleName("")
        return
    target.setPixmap(person_pixmap(profile, position, size, target))
    target.setFixedSize(size, size)
    target.setToolTip(f"Showing the records of {profile.name}")
    target.setAccessibleName(f"Badge of {profile.name}")


def show_colour_choices(combo: QComboBox, profile: Profile, position: int) -> None:
    """Give each colour of a details form's choice the badge it would make, and name the
    colour "no choice" stands for (the one taken by the person's place in the list)."""
    letters = initials(profile.name)
    names = dict(PERSON_COLOURS)
    for index in range(combo.count()):
        chosen = combo.itemData(index)
        colour = chosen or person_colour(None, position)
        combo.setItemIcon(index, badge_icon(letters, colour))
        if chosen is None:
            combo.setItemText(index, f"Automatic ({names[colour]})")


def _screen_ratio() -> float:
    screen = QGuiApplication.primaryScreen()
    return screen.devicePixelRatio() if screen is not None else 1.0
