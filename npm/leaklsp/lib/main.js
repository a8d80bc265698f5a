'use strict';
// Finds the native leaklsp binary for this machine.
//
// The binary ships in one package per platform (@leaklsp/linux-x64, …), each
// declared in this package's optionalDependencies with `os` and `cpu` fields,
// so npm installs only the one that fits. Nothing is downloaded at install
// time: no install script, which also makes `npm install --ignore-scripts`
// and offline mirrors work.

const fs = require('fs');
const path = require('path');

/** `${process.platform}-${process.arch}` → the package carrying that binary. */
const platforms = {
  'linux-x64': '@leaklsp/linux-x64',
  'linux-arm64': '@leaklsp/linux-arm64',
  'darwin-x64': '@leaklsp/darwin-x64',
  'darwin-arm64': '@leaklsp/darwin-arm64',
  'win32-x64': '@leaklsp/win32-x64',
  'win32-arm64': '@leaklsp/win32-arm64',
};

const version = require('../package.json').version;

/** The platform package for platform/arch, or undefined if none is built. */
function platformPackage(platform = process.platform, arch = process.arch) {
  return platforms[`${platform}-${arch}`];
}

/** The executable's path inside a platform package. */
function executableIn(pkgDir, platform) {
  return path.join(pkgDir, 'bin', platform === 'win32' ? 'leaklsp.exe' : 'leaklsp');
}

/** The folder of an installed package, or undefined. */
function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * The path of the leaklsp executable to run: $LEAKLSP_BINARY_PATH if set,
 * else the one from this platform's package. Throws an Error whose message
 * says what to install when there is none.
 */
function binaryPath() {
  const override = process.env.LEAKLSP_BINARY_PATH;
  if (override) {
    if (!fs.existsSync(override)) {
      throw new Error(`LEAKLSP_BINARY_PATH=${override} does not exist`);
    }
    return override;
  }

  const key = `${process.platform}-${process.arch}`;
  const pkg = platformPackage();
  if (!pkg) {
    throw new Error(
      `there is no prebuilt leaklsp for ${key} (prebuilt: ${Object.keys(platforms).join(', ')}).\n` +
        'Build it with Go and point LEAKLSP_BINARY_PATH at it:\n' +
        '  go install github.com/leaklsp/leaklsp/cmd/leaklsp@latest',
    );
  }
  const dir = packageDir(pkg);
  if (!dir) {
    throw new Error(missingPackageMessage(pkg, key));
  }
  const exe = executableIn(dir, process.platform);
  if (!fs.existsSync(exe)) {
    throw new Error(`${pkg} is installed but has no ${path.relative(dir, exe)}; reinstall it: npm install ${pkg}@${version}`);
  }
  const installed = require(path.join(dir, 'package.json')).version;
  if (installed !== version) {
    process.emitWarning(`leaklsp ${version} runs the binary of ${pkg}@${installed}; reinstall: npm install ${pkg}@${version}`);
  }
  return exe;
}

/**
 * Why the platform package is missing, and how to get it. The usual causes:
 * optional dependencies were omitted, or node_modules (or a lock file) was
 * made on another OS, e.g. on a Mac and copied into a Linux container.
 */
function missingPackageMessage(pkg, key) {
  const others = Object.values(platforms).filter((p) => p !== pkg && packageDir(p));
  let msg = `the package ${pkg}, which carries the leaklsp binary for ${key}, is not installed.\n`;
  if (others.length > 0) {
    msg +=
      `node_modules has ${others.join(', ')} instead: it was installed on another platform. ` +
      'Reinstall on this machine (rm -rf node_modules && npm install).\n';
  } else {
    msg += 'npm skips it when optional dependencies are omitted (--omit=optional, --no-optional).\n';
  }
  msg += `Install it: npm install ${pkg}@${version}\n`;
  msg += 'or set LEAKLSP_BINARY_PATH to a leaklsp binary (go install github.com/leaklsp/leaklsp/cmd/leaklsp@latest).';
  return msg;
}

module.exports = { binaryPath, platformPackage, platforms, version };
