-- The music store of music_store.postgresql.sql as MySQL/MariaDB has it: unsigned keys, TINYINT(1)
-- flags, ENUM and SET columns, YEAR, TIMESTAMP with ON UPDATE, MEDIUMTEXT/LONGTEXT, BLOBs, FLOAT,
-- PascalCase names, link tables, a self reference, a view and a trigger. 17 tables.

CREATE TABLE `Artist` (
    `ArtistId` INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    `Name` VARCHAR(120) NOT NULL,
    `Bio` MEDIUMTEXT,
    `Website` VARCHAR(255),
    `Styles` SET('rock', 'metal', 'blues', 'jazz')
);

-- Ids chosen by the client: the catalogue's own genre numbers.
CREATE TABLE `Genre` (
    `GenreId` SMALLINT PRIMARY KEY,
    `Name` VARCHAR(120) NOT NULL UNIQUE
);

CREATE TABLE `MediaType` (
    `MediaTypeId` INT AUTO_INCREMENT PRIMARY KEY,
    `Name` VARCHAR(120) NOT NULL
);

CREATE TABLE `Label` (
    `LabelId` INT AUTO_INCREMENT PRIMARY KEY,
    `Name` VARCHAR(200) NOT NULL,
    `Founded` YEAR,
    `Metadata` JSON,
    `CountryCode` CHAR(2),
    UNIQUE KEY `Label_Name_key` (`Name`)
);

CREATE TABLE `Album` (
    `AlbumId` INT AUTO_INCREMENT PRIMARY KEY,
    `Title` VARCHAR(160) NOT NULL,
    `ArtistId` INT UNSIGNED NOT NULL,
    `LabelId` INT,
    `Format` ENUM('cd', 'vinyl', 'digital', 'cassette') NOT NULL DEFAULT 'cd',
    `ReleasedOn` DATE,
    `Cover` MEDIUMBLOB,
    KEY `IFK_AlbumArtistId` (`ArtistId`),
    CONSTRAINT `FK_AlbumArtistId` FOREIGN KEY (`ArtistId`) REFERENCES `Artist` (`ArtistId`) ON DELETE RESTRICT,
    CONSTRAINT `FK_AlbumLabelId` FOREIGN KEY (`LabelId`) REFERENCES `Label` (`LabelId`) ON DELETE SET NULL
);

CREATE TABLE `Track` (
    `TrackId` INT AUTO_INCREMENT PRIMARY KEY,
    `Name` VARCHAR(200) NOT NULL,
    `AlbumId` INT,
    `MediaTypeId` INT NOT NULL,
    `GenreId` SMALLINT,
    `Composer` VARCHAR(220),
    `Milliseconds` INT NOT NULL,
    `Bytes` BIGINT UNSIGNED,
    `UnitPrice` DECIMAL(10, 2) NOT NULL,
    `Rating` FLOAT,
    `Explicit` TINYINT(1) NOT NULL DEFAULT 0,
    `Plays` MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
    `Lyrics` LONGTEXT,
    KEY `IFK_TrackAlbumId` (`AlbumId`),
    CONSTRAINT `FK_TrackAlbumId` FOREIGN KEY (`AlbumId`) REFERENCES `Album` (`AlbumId`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `FK_TrackMediaTypeId` FOREIGN KEY (`MediaTypeId`) REFERENCES `MediaType` (`MediaTypeId`),
    CONSTRAINT `FK_TrackGenreId` FOREIGN KEY (`GenreId`) REFERENCES `Genre` (`GenreId`)
);

CREATE TABLE `Playlist` (
    `PlaylistId` INT AUTO_INCREMENT PRIMARY KEY,
    `Name` VARCHAR(120),
    `Mood` ENUM('happy', 'sad', 'angry', 'calm'),
    `UpdatedAt` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);

CREATE TABLE `PlaylistTrack` (
    `PlaylistId` INT NOT NULL,
    `TrackId` INT NOT NULL,
    PRIMARY KEY (`PlaylistId`, `TrackId`),
    KEY `IFK_PlaylistTrackTrackId` (`TrackId`),
    CONSTRAINT `FK_PlaylistTrackPlaylistId` FOREIGN KEY (`PlaylistId`) REFERENCES `Playlist` (`PlaylistId`) ON DELETE CASCADE,
    CONSTRAINT `FK_PlaylistTrackTrackId` FOREIGN KEY (`TrackId`) REFERENCES `Track` (`TrackId`) ON DELETE CASCADE
);

CREATE TABLE `Employee` (
    `EmployeeId` INT AUTO_INCREMENT PRIMARY KEY,
    `LastName` VARCHAR(20) NOT NULL,
    `FirstName` VARCHAR(20) NOT NULL,
    `Title` VARCHAR(30),
    `ReportsTo` INT,
    `BirthDate` DATETIME,
    `HireDate` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `Email` VARCHAR(60) UNIQUE,
    `Photo` BLOB,
    CONSTRAINT `FK_EmployeeReportsTo` FOREIGN KEY (`ReportsTo`) REFERENCES `Employee` (`EmployeeId`)
);

CREATE TABLE `Customer` (
    `CustomerId` INT AUTO_INCREMENT PRIMARY KEY,
    `FirstName` VARCHAR(40) NOT NULL,
    `LastName` VARCHAR(20) NOT NULL,
    `Company` VARCHAR(80),
    `Country` VARCHAR(40),
    `Email` VARCHAR(60) NOT NULL,
    `SupportRepId` INT,
    `Vip` TINYINT(1) NOT NULL DEFAULT 0,
    `Since` DATE NOT NULL DEFAULT (CURRENT_DATE),
    CONSTRAINT `FK_CustomerSupportRepId` FOREIGN KEY (`SupportRepId`) REFERENCES `Employee` (`EmployeeId`)
);

CREATE TABLE `Invoice` (
    `InvoiceId` INT AUTO_INCREMENT PRIMARY KEY,
    `CustomerId` INT NOT NULL,
    `InvoiceDate` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `BillingCountry` VARCHAR(40),
    `Total` DECIMAL(10, 2) NOT NULL DEFAULT 0,
    CONSTRAINT `FK_InvoiceCustomerId` FOREIGN KEY (`CustomerId`) REFERENCES `Customer` (`CustomerId`)
);

CREATE TABLE `InvoiceLine` (
    `InvoiceLineId` INT AUTO_INCREMENT PRIMARY KEY,
    `InvoiceId` INT NOT NULL,
    `TrackId` INT NOT NULL,
    `UnitPrice` DECIMAL(10, 2) NOT NULL,
    `Quantity` INT UNSIGNED NOT NULL,
    CONSTRAINT `FK_InvoiceLineInvoiceId` FOREIGN KEY (`InvoiceId`) REFERENCES `Invoice` (`InvoiceId`) ON DELETE CASCADE,
    CONSTRAINT `FK_InvoiceLineTrackId` FOREIGN KEY (`TrackId`) REFERENCES `Track` (`TrackId`)
);

CREATE TABLE `Review` (
    `ReviewId` BIGINT AUTO_INCREMENT PRIMARY KEY,
    `TrackId` INT NOT NULL,
    `CustomerId` INT,
    `Stars` TINYINT NOT NULL,
    `Body` TEXT,
    `Score` DOUBLE,
    `PostedAt` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT `FK_ReviewTrackId` FOREIGN KEY (`TrackId`) REFERENCES `Track` (`TrackId`),
    CONSTRAINT `FK_ReviewCustomerId` FOREIGN KEY (`CustomerId`) REFERENCES `Customer` (`CustomerId`) ON DELETE SET NULL
);

CREATE TABLE `Concert` (
    `ConcertId` INT AUTO_INCREMENT PRIMARY KEY,
    `ArtistId` INT UNSIGNED NOT NULL,
    `Venue` VARCHAR(100) NOT NULL,
    `Day` DATE NOT NULL,
    `StartsAt` TIME NOT NULL,
    `Capacity` INT,
    CONSTRAINT `FK_ConcertArtistId` FOREIGN KEY (`ArtistId`) REFERENCES `Artist` (`ArtistId`)
);

CREATE TABLE `ArtistGenre` (
    `ArtistId` INT UNSIGNED NOT NULL,
    `GenreId` SMALLINT NOT NULL,
    PRIMARY KEY (`ArtistId`, `GenreId`),
    KEY `IFK_ArtistGenreGenreId` (`GenreId`),
    CONSTRAINT `FK_ArtistGenreArtistId` FOREIGN KEY (`ArtistId`) REFERENCES `Artist` (`ArtistId`) ON DELETE CASCADE,
    CONSTRAINT `FK_ArtistGenreGenreId` FOREIGN KEY (`GenreId`) REFERENCES `Genre` (`GenreId`) ON DELETE CASCADE
);

CREATE TABLE `PriceHistory` (
    `TrackId` INT NOT NULL,
    `ChangedOn` DATE NOT NULL,
    `Price` DECIMAL(10, 2) NOT NULL,
    PRIMARY KEY (`TrackId`, `ChangedOn`),
    CONSTRAINT `FK_PriceHistoryTrackId` FOREIGN KEY (`TrackId`) REFERENCES `Track` (`TrackId`)
);

CREATE TABLE `AuditLog` (
    `At` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    `Message` TEXT NOT NULL
);

CREATE VIEW `TrackSales` AS
    SELECT t.`TrackId`, t.`Name`, COALESCE(SUM(l.`Quantity`), 0) AS `Sold`
    FROM `Track` t LEFT JOIN `InvoiceLine` l ON l.`TrackId` = t.`TrackId`
    GROUP BY t.`TrackId`, t.`Name`;

CREATE TRIGGER `invoice_logged` AFTER INSERT ON `Invoice` FOR EACH ROW
    INSERT INTO `AuditLog` (`Message`) VALUES (CONCAT('invoice ', NEW.`InvoiceId`));

INSERT INTO `Artist` (`Name`, `Bio`, `Website`, `Styles`) VALUES
    ('AC/DC', 'Australian rock band', 'https://acdc.com', 'rock'),
    ('Accept', NULL, NULL, 'metal'),
    ('Aerosmith', 'Boston rock band', NULL, 'rock,blues');
INSERT INTO `Genre` (`GenreId`, `Name`) VALUES (1, 'Rock'), (2, 'Jazz'), (3, 'Metal');
INSERT INTO `MediaType` (`Name`) VALUES ('MPEG audio file'), ('Protected AAC audio file');
INSERT INTO `Label` (`Name`, `Founded`, `Metadata`, `CountryCode`) VALUES
    ('Atlantic', 1947, '{"hq": "New York"}', 'US'), ('Columbia', 1901, '{}', 'US');
INSERT INTO `Album` (`Title`, `ArtistId`, `LabelId`, `Format`, `ReleasedOn`) VALUES
    ('For Those About To Rock We Salute You', 1, 1, 'vinyl', '1981-11-23'),
    ('Balls to the Wall', 2, NULL, 'cd', '1983-12-05'),
    ('Restless and Wild', 2, 2, 'cd', NULL);
INSERT INTO `Track` (`Name`, `AlbumId`, `MediaTypeId`, `GenreId`, `Composer`, `Milliseconds`, `Bytes`, `UnitPrice`, `Rating`) VALUES
    ('For Those About To Rock (We Salute You)', 1, 1, 1, 'Angus Young, Malcolm Young, Brian Johnson', 343719, 11170334, 0.99, 4.5),
    ('Balls to the Wall', 2, 2, 1, NULL, 342562, 5510424, 0.99, NULL),
    ('Fast As a Shark', 3, 2, 3, 'F. Baltes, S. Kaufman, U. Dirkscneider & W. Hoffman', 230619, 3990994, 0.99, 3.25),
    ('Restless and Wild', 3, 2, 3, NULL, 252051, 4331779, 1.29, NULL);
INSERT INTO `Playlist` (`Name`, `Mood`) VALUES ('Music', 'happy'), ('Heavy Metal Classic', 'angry');
INSERT INTO `PlaylistTrack` VALUES (1, 1), (1, 2), (2, 3), (2, 4);
INSERT INTO `Employee` (`LastName`, `FirstName`, `Title`, `ReportsTo`, `BirthDate`, `Email`) VALUES
    ('Adams', 'Andrew', 'General Manager', NULL, '1962-02-18', 'andrew@chinookcorp.com'),
    ('Edwards', 'Nancy', 'Sales Manager', 1, '1958-12-08', 'nancy@chinookcorp.com'),
    ('Peacock', 'Jane', 'Sales Support Agent', 2, '1973-08-29', 'jane@chinookcorp.com');
INSERT INTO `Customer` (`FirstName`, `LastName`, `Company`, `Country`, `Email`, `SupportRepId`) VALUES
    ('Luís', 'Gonçalves', 'Embraer', 'Brazil', 'luisg@embraer.com.br', 3),
    ('Leonie', 'Köhler', NULL, 'Germany', 'leonekohler@surfeu.de', 3);
INSERT INTO `Invoice` (`CustomerId`, `InvoiceDate`, `BillingCountry`, `Total`) VALUES
    (1, '2021-01-01 00:00:00', 'Brazil', 1.98), (2, '2021-01-02 00:00:00', 'Germany', 1.29);
INSERT INTO `InvoiceLine` (`InvoiceId`, `TrackId`, `UnitPrice`, `Quantity`) VALUES
    (1, 1, 0.99, 1), (1, 2, 0.99, 1), (2, 4, 1.29, 1);
INSERT INTO `Review` (`TrackId`, `CustomerId`, `Stars`, `Body`, `Score`) VALUES
    (1, 1, 5, 'A classic', 9.5), (3, NULL, 4, NULL, NULL);
INSERT INTO `Concert` (`ArtistId`, `Venue`, `Day`, `StartsAt`, `Capacity`) VALUES
    (1, 'Wembley', '1979-08-18', '20:00', 72000);
INSERT INTO `ArtistGenre` VALUES (1, 1), (2, 3), (3, 1);
INSERT INTO `PriceHistory` VALUES (1, '2020-01-01', 0.89);
