-- The DVD rental store of dvd_rental.postgresql.sql as the Sakila sample database has it on
-- MySQL/MariaDB: SMALLINT, TINYINT and MEDIUMINT UNSIGNED keys, ENUM('G', ..., 'PG-13', 'NC-17'), SET, YEAR,
-- TIMESTAMP ... ON UPDATE, BLOB, link and non-link composite keys, a table without a primary key,
-- views and a trigger. 17 tables.

CREATE TABLE actor (
    actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    first_name VARCHAR(45) NOT NULL,
    last_name VARCHAR(45) NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    KEY idx_actor_last_name (last_name)
);

-- (Sakila's language, store and staff keys are TINYINT UNSIGNED too; the generated project's own
-- tests create more than 255 of those rows, so they are SMALLINT here.)
CREATE TABLE category (
    category_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(25) NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);

CREATE TABLE language (
    language_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name CHAR(20) NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);

CREATE TABLE film (
    film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(128) NOT NULL,
    description TEXT,
    release_year YEAR,
    language_id SMALLINT UNSIGNED NOT NULL,
    rental_duration TINYINT UNSIGNED NOT NULL DEFAULT 3,
    rental_rate DECIMAL(4, 2) NOT NULL DEFAULT 4.99,
    length SMALLINT UNSIGNED,
    replacement_cost DECIMAL(5, 2) NOT NULL DEFAULT 19.99,
    rating ENUM('G', 'PG', 'PG-13', 'R', 'NC-17') DEFAULT 'G',
    special_features SET('Trailers', 'Commentaries', 'Deleted Scenes', 'Behind the Scenes'),
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    KEY idx_title (title),
    CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id) ON DELETE RESTRICT ON UPDATE CASCADE
);

-- A pure link table.
CREATE TABLE film_actor (
    actor_id SMALLINT UNSIGNED NOT NULL,
    film_id SMALLINT UNSIGNED NOT NULL,
    PRIMARY KEY (actor_id, film_id),
    KEY idx_fk_film_id (film_id),
    CONSTRAINT fk_film_actor_actor FOREIGN KEY (actor_id) REFERENCES actor (actor_id) ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT fk_film_actor_film FOREIGN KEY (film_id) REFERENCES film (film_id) ON DELETE RESTRICT ON UPDATE CASCADE
);

-- A composite key with a column of its own: no link table, not served.
CREATE TABLE film_category (
    film_id SMALLINT UNSIGNED NOT NULL,
    category_id TINYINT UNSIGNED NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (film_id, category_id),
    CONSTRAINT fk_film_category_film FOREIGN KEY (film_id) REFERENCES film (film_id),
    CONSTRAINT fk_film_category_category FOREIGN KEY (category_id) REFERENCES category (category_id)
);

CREATE TABLE country (
    country_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    country VARCHAR(50) NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);

CREATE TABLE city (
    city_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    city VARCHAR(50) NOT NULL,
    country_id SMALLINT UNSIGNED NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_city_country FOREIGN KEY (country_id) REFERENCES country (country_id)
);

CREATE TABLE address (
    address_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    address VARCHAR(50) NOT NULL,
    address2 VARCHAR(50),
    district VARCHAR(20) NOT NULL,
    city_id SMALLINT UNSIGNED NOT NULL,
    postal_code VARCHAR(10),
    phone VARCHAR(20) NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_address_city FOREIGN KEY (city_id) REFERENCES city (city_id)
);

CREATE TABLE store (
    store_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    address_id SMALLINT UNSIGNED NOT NULL,
    opened_on DATE NOT NULL DEFAULT (CURRENT_DATE),
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_store_address FOREIGN KEY (address_id) REFERENCES address (address_id)
);

CREATE TABLE staff (
    staff_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    first_name VARCHAR(45) NOT NULL,
    last_name VARCHAR(45) NOT NULL,
    address_id SMALLINT UNSIGNED NOT NULL,
    picture BLOB,
    email VARCHAR(50),
    store_id SMALLINT UNSIGNED NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    username VARCHAR(16) NOT NULL UNIQUE,
    password VARCHAR(40) BINARY,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_staff_address FOREIGN KEY (address_id) REFERENCES address (address_id),
    CONSTRAINT fk_staff_store FOREIGN KEY (store_id) REFERENCES store (store_id)
);

CREATE TABLE customer (
    customer_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    store_id SMALLINT UNSIGNED NOT NULL,
    first_name VARCHAR(45) NOT NULL,
    last_name VARCHAR(45) NOT NULL,
    email VARCHAR(50),
    address_id SMALLINT UNSIGNED NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    create_date DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_update TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_customer_store FOREIGN KEY (store_id) REFERENCES store (store_id),
    CONSTRAINT fk_customer_address FOREIGN KEY (address_id) REFERENCES address (address_id)
);

CREATE TABLE inventory (
    inventory_id MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    film_id SMALLINT UNSIGNED NOT NULL,
    store_id SMALLINT UNSIGNED NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_inventory_film FOREIGN KEY (film_id) REFERENCES film (film_id),
    CONSTRAINT fk_inventory_store FOREIGN KEY (store_id) REFERENCES store (store_id)
);

CREATE TABLE rental (
    rental_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    rental_date DATETIME NOT NULL,
    inventory_id MEDIUMINT UNSIGNED NOT NULL,
    customer_id SMALLINT UNSIGNED NOT NULL,
    return_date DATETIME,
    staff_id SMALLINT UNSIGNED NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY rental_date (rental_date, inventory_id, customer_id),
    CONSTRAINT fk_rental_inventory FOREIGN KEY (inventory_id) REFERENCES inventory (inventory_id),
    CONSTRAINT fk_rental_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id),
    CONSTRAINT fk_rental_staff FOREIGN KEY (staff_id) REFERENCES staff (staff_id)
);

CREATE TABLE payment (
    payment_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id SMALLINT UNSIGNED NOT NULL,
    staff_id SMALLINT UNSIGNED NOT NULL,
    rental_id INT,
    amount DECIMAL(5, 2) NOT NULL,
    payment_date DATETIME NOT NULL,
    CONSTRAINT fk_payment_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id),
    CONSTRAINT fk_payment_staff FOREIGN KEY (staff_id) REFERENCES staff (staff_id),
    CONSTRAINT fk_payment_rental FOREIGN KEY (rental_id) REFERENCES rental (rental_id) ON DELETE SET NULL
);

-- Opening hours: client-chosen ids (the weekday).
CREATE TABLE opening_hours (
    weekday SMALLINT NOT NULL PRIMARY KEY,
    opens TIME NOT NULL,
    closes TIME NOT NULL
);

-- No primary key: not served.
CREATE TABLE rental_log (
    logged_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    rental_id INT,
    note TEXT
);

CREATE VIEW film_list AS
    SELECT f.film_id AS fid, f.title, c.name AS category, f.rental_rate AS price, f.length, f.rating
    FROM film f LEFT JOIN film_category fc ON fc.film_id = f.film_id
    LEFT JOIN category c ON c.category_id = fc.category_id;

CREATE VIEW sales_by_store AS
    SELECT s.store_id, SUM(p.amount) AS total_sales
    FROM payment p JOIN staff st ON st.staff_id = p.staff_id JOIN store s ON s.store_id = st.store_id
    GROUP BY s.store_id;

CREATE TRIGGER rental_logged AFTER INSERT ON rental FOR EACH ROW
    INSERT INTO rental_log (rental_id, note) VALUES (NEW.rental_id, 'rented');

INSERT INTO actor (first_name, last_name) VALUES
    ('PENELOPE', 'GUINESS'), ('NICK', 'WAHLBERG'), ('ED', 'CHASE'), ('JENNIFER', 'DAVIS');
INSERT INTO category (name) VALUES ('Action'), ('Animation'), ('Children');
INSERT INTO language (name) VALUES ('English'), ('Italian'), ('Japanese');
INSERT INTO film (title, description, release_year, language_id, length, rating, special_features) VALUES
    ('ACADEMY DINOSAUR', 'A Epic Drama of a Feminist', 2006, 1, 86, 'PG', 'Deleted Scenes,Behind the Scenes'),
    ('ACE GOLDFINGER', 'A Astounding Epistle', 2006, 1, 48, 'G', 'Trailers'),
    ('ADAPTATION HOLES', 'A Astounding Reflection', 2006, 2, 50, 'NC-17', NULL),
    ('AFFAIR PREJUDICE', 'A Fanciful Documentary', 2006, 1, 117, 'PG-13', NULL);
INSERT INTO film_actor VALUES (1, 1), (1, 2), (2, 3), (3, 1), (4, 4);
INSERT INTO film_category (film_id, category_id) VALUES (1, 1), (2, 2), (3, 3);
INSERT INTO country (country) VALUES ('Canada'), ('Australia');
INSERT INTO city (city, country_id) VALUES ('Lethbridge', 1), ('Woodridge', 2);
INSERT INTO address (address, district, city_id, postal_code, phone) VALUES
    ('47 MySakila Drive', 'Alberta', 1, NULL, '14033335568'),
    ('28 MySQL Boulevard', 'QLD', 2, NULL, '6172235589'),
    ('1913 Hanoi Way', 'Nagasaki', 1, '35200', '28303384290');
INSERT INTO store (address_id) VALUES (1), (2);
INSERT INTO staff (first_name, last_name, address_id, email, store_id, username, password) VALUES
    ('Mike', 'Hillyer', 1, 'Mike.Hillyer@sakilastaff.com', 1, 'Mike', '8cb2237d0679ca88db6464eac60da96345513964'),
    ('Jon', 'Stephens', 2, 'Jon.Stephens@sakilastaff.com', 2, 'Jon', NULL);
INSERT INTO customer (store_id, first_name, last_name, email, address_id, active) VALUES
    (1, 'MARY', 'SMITH', 'MARY.SMITH@sakilacustomer.org', 3, TRUE),
    (1, 'PATRICIA', 'JOHNSON', 'PATRICIA.JOHNSON@sakilacustomer.org', 3, TRUE),
    (2, 'LINDA', 'WILLIAMS', NULL, 3, FALSE);
INSERT INTO inventory (film_id, store_id) VALUES (1, 1), (1, 2), (2, 1), (3, 2);
INSERT INTO rental (rental_date, inventory_id, customer_id, return_date, staff_id) VALUES
    ('2022-05-24 22:53:30', 1, 1, '2022-05-26 22:04:30', 1),
    ('2022-05-24 22:54:33', 3, 2, NULL, 1);
INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) VALUES
    (1, 1, 1, 2.99, '2022-05-25 11:30:37'), (2, 1, 2, 0.99, '2022-05-28 10:35:23');
INSERT INTO opening_hours VALUES (1, '09:00', '21:00'), (2, '09:00', '21:00');
