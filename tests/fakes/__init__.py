"""Local fakes of provider APIs: small HTTP servers the real SDKs talk to in tests."""
