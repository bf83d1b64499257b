/** The "?" dialog: every keyboard shortcut of the studio, from the same table the keyboard uses. */
import { shortcutList } from '../../state/shortcuts.ts';
import { Modal } from '../Modal.tsx';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" description="Hold Alt while dragging to turn snapping off for that drag." onClose={onClose} testId="shortcuts-dialog">
      <table className="shortcut-table">
        <tbody>
          {shortcutList(isMac).map((row) => (
            <tr key={row.description} data-testid="shortcut-row">
              <td className="shortcut-keys">
                {row.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{row.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
