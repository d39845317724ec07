// @peculiar/x509, set up once for the whole engine. Chosen because it is
// maintained, builds certificates over WebCrypto (here node:crypto's, so RSA and
// ECDSA both), and has no native code; node-forge is pure-JS RSA only, and pkijs
// leaves the ASN.1 to the caller. Version 2.2.0 no longer loads
// reflect-metadata itself: it must be imported before the library.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
export const subtle = webcrypto.subtle;
