/**
 * The avatar's background on a card behind the head, exact from the source camera
 * (src/shared/camera/background-card.ts says why; the export draws the same card behind every
 * frame, sampled as this texture is: bilinear, edge-clamped, in linear light). The quad is the
 * drawn card, CARD_EXTENT times the source view each way, with texture coordinates beyond [0, 1]
 * and a CLAMP_TO_EDGE texture, so its edge texels fill wide frames and moved views. Its texels are
 * display values, so the texture is tagged sRGB: three.js decodes them to linear and the sRGB
 * canvas encodes them back, and the picture shows the values the export writes. No tone mapping
 * (the canvas is `flat`).
 */
import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import * as THREE from 'three';
import type { PreparedHead } from '../../preview/avatar-head.ts';
import { DRAWN_CARD_UVS, drawnCardCorners } from '../../preview/background-card.ts';

interface Props {
  background: NonNullable<PreparedHead['background']>;
  root: THREE.Object3D;
}

export function BackgroundCard({ background, root }: Props) {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    const { texels, resolution, corners } = background;
    const texture = new THREE.DataTexture(texels, resolution, resolution, THREE.RGBAFormat, THREE.UnsignedByteType);
    texture.colorSpace = THREE.SRGBColorSpace;
    texture.magFilter = THREE.LinearFilter;
    texture.minFilter = THREE.LinearFilter;
    // Beyond the source view (texture coordinates outside [0, 1]) the edge texels repeat.
    texture.wrapS = THREE.ClampToEdgeWrapping;
    texture.wrapT = THREE.ClampToEdgeWrapping;
    texture.generateMipmaps = false;
    texture.needsUpdate = true;

    // DataTexture rows start at v = 0, and row 0 is the image's top: corner order TL, TR, BL, BR.
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.Float32BufferAttribute(drawnCardCorners(corners).flat(), 3));
    geometry.setAttribute('uv', new THREE.Float32BufferAttribute([...DRAWN_CARD_UVS], 2));
    geometry.setIndex([0, 2, 1, 1, 2, 3]);
    // Front side only: it faces the source camera; from behind it (orbiting past its plane) it
    // disappears instead of hiding the head.
    const material = new THREE.MeshBasicMaterial({ map: texture, side: THREE.FrontSide, toneMapped: false });
    const mesh = new THREE.Mesh(geometry, material);
    mesh.name = 'background-card';
    root.add(mesh);
    invalidate();
    return () => {
      root.remove(mesh);
      geometry.dispose();
      material.dispose();
      texture.dispose();
    };
  }, [background, root, invalidate]);
  return null;
}
