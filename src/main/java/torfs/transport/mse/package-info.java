/**
 * Protocol encryption (MSE/PE, "Message Stream Encryption") over TCP: the Diffie-Hellman and
 * RC4 handshake as Netty handlers that sit in front of the wire codecs and leave an RC4 codec
 * (or nothing, for plaintext) behind them. {@link torfs.transport.mse.IncomingDetector} tells
 * incoming plaintext from encrypted; {@link torfs.transport.mse.MseInitiator} dials;
 * {@link torfs.transport.mse.Encryption} is the user's choice. Nothing above the pipeline knows.
 */
package torfs.transport.mse;
