/** What the engine made: model, size, the head pose it estimated, the crop and any warnings. */
import type { Avatar } from '../../../../shared/project/types.ts';
import { formatCount, formatDegrees } from '../../format/format.ts';
import { PropRow } from './PropRow.tsx';

export function AvatarFacts({ avatar }: { avatar: Avatar }) {
  const { yawDeg, pitchDeg, rollDeg } = avatar.camera;
  const { x, y, size } = avatar.crop;
  return (
    <dl className="props" data-testid="avatar-facts">
      <PropRow label="Model" testId="avatar-model">
        {avatar.modelName} <span className="muted">version {avatar.modelVersion}</span>
      </PropRow>
      <PropRow label="Splats" testId="avatar-splats">
        {formatCount(avatar.splatCount)}
      </PropRow>
      <PropRow label="Head yaw" testId="avatar-yaw">
        {formatDegrees(yawDeg)}
      </PropRow>
      <PropRow label="Head pitch" testId="avatar-pitch">
        {formatDegrees(pitchDeg)}
      </PropRow>
      <PropRow label="Head roll" testId="avatar-roll">
        {formatDegrees(rollDeg)}
      </PropRow>
      <PropRow label="Crop" testId="avatar-crop-square">
        {size} px square at {x}, {y}
      </PropRow>
      <PropRow label="Warnings" testId="avatar-warnings">
        {avatar.warnings.length === 0 ? (
          <span className="muted">None</span>
        ) : (
          <ul className="avatar-warnings">
            {avatar.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
      </PropRow>
    </dl>
  );
}
