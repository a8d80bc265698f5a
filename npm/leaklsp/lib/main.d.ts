/** Platform key (`${process.platform}-${process.arch}`) → package carrying the binary. */
export declare const platforms: Readonly<Record<string, string>>;

/** The version of this package (and of the binary it runs). */
export declare const version: string;

/** The platform package for platform/arch (default: this process), or undefined. */
export declare function platformPackage(platform?: string, arch?: string): string | undefined;

/**
 * The leaklsp executable to run: $LEAKLSP_BINARY_PATH, else the binary of the
 * installed platform package. Throws an Error saying what to install if none.
 */
export declare function binaryPath(): string;
