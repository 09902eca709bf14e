import { createHash } from "node:crypto";
import { readGuestFile } from "./guest-files.js";

/**
 * The images a boot check can boot: minimal Debian systems with Debian's own cloud-init (22.4 on
 * Debian 12, 25.1 on Debian 13), close to Hetzner's `debian-12` and `debian-13` images.
 *
 * @example
 * ```ts
 * const image: BootImage = "debian-13";
 * ```
 */
export type BootImage = "debian-12" | "debian-13";

/**
 * Every {@link BootImage}, oldest first.
 *
 * @example
 * ```ts
 * for (const image of BOOT_IMAGES) await checker.check({ userData, image });
 * ```
 */
export const BOOT_IMAGES: readonly BootImage[] = ["debian-12", "debian-13"];

export interface ImageRecipe {
  image: BootImage;
  suite: string;
  include: string[];
  /** mmdebstrap `--customize-hook` values, in order (`$1` is the root directory). */
  hooks: string[];
  /** Files uploaded into the image: guest path -> content. */
  files: Record<string, string>;
  /** Size of the sparse ext4 root file system. */
  sizeGigabytes: number;
}

const SUITES: Record<BootImage, string> = { "debian-12": "bookworm", "debian-13": "trixie" };

/** The packages of a minimal cloud image: systemd, a kernel, cloud-init and ifupdown, ssh. */
const INCLUDE = [
  "systemd-sysv",
  "linux-image-cloud-amd64",
  "cloud-init",
  "ifupdown",
  "openssh-server",
  "ca-certificates",
  "locales",
];

const COLLECTOR = "/usr/local/sbin/tailvm-boot-collect";

const CLOUD_CFG = [
  "datasource_list: [ NoCloud, None ]",
  "resize_rootfs: false",
  "growpart: { mode: 'off' }",
  "ssh_genkeytypes: [ ed25519 ]",
];
const COLLECTOR_UNIT = "/etc/systemd/system/tailvm-boot-collect.service";

/** How `image` is built; its {@link recipeKey} names the cache entry. */
export function imageRecipe(image: BootImage): ImageRecipe {
  return {
    image,
    suite: SUITES[image],
    include: INCLUDE,
    files: {
      [COLLECTOR]: readGuestFile("collect.py"),
      [COLLECTOR_UNIT]: readGuestFile("tailvm-boot-collect.service"),
    },
    hooks: [
      `chmod 0755 "$1${COLLECTOR}"`,
      'chroot "$1" systemctl enable tailvm-boot-collect.service',
      // The default locale generated and set, as in Hetzner's images: without it the locale
      // module fails, and generating it at boot takes half a minute under emulation.
      'echo "en_US.UTF-8 UTF-8" > "$1/etc/locale.gen" && chroot "$1" locale-gen',
      'echo "LANG=en_US.UTF-8" > "$1/etc/default/locale"',
      // Only the NoCloud seed: no probing for other clouds' metadata services. The root file
      // system is the whole disk at its final size: nothing to grow. One host key type: RSA key
      // generation takes long under emulation.
      `printf "${CLOUD_CFG.join("\\n")}\\n" > "$1/etc/cloud/cloud.cfg.d/90_tailvm_boot_check.cfg"`,
      // An initrd with only what finds the root disk: a third of the size, and a faster boot.
      'printf "virtio_pci\\nvirtio_blk\\n" >> "$1/etc/initramfs-tools/modules"',
      'sed -i "s/^MODULES=.*/MODULES=list/" "$1/etc/initramfs-tools/initramfs.conf"',
      'chroot "$1" update-initramfs -u -k all',
      'printf "/dev/vda / ext4 errors=remount-ro 0 1\\n" > "$1/etc/fstab"',
      'echo localhost > "$1/etc/hostname"',
      // The guest reaches no Debian mirror, only the test repository; apt must not wait on one,
      // nor start its timers during the boot.
      'rm -f "$1"/etc/apt/sources.list.d/* && : > "$1/etc/apt/sources.list"',
      'chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer',
      // A first boot: no machine id, no cloud-init state.
      ': > "$1/etc/machine-id" && rm -rf "$1/var/lib/cloud"',
    ],
    sizeGigabytes: 4,
  };
}

/** The cache key of a recipe: the first 16 hex digits of a SHA-256 over all of it. */
export function recipeKey(recipe: ImageRecipe): string {
  return createHash("sha256").update(JSON.stringify(recipe)).digest("hex").slice(0, 16);
}
