"""Qt only: windows, dialogs, item models, the task runner, icons and theme."""
